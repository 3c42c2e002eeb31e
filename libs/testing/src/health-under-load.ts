/** One round of {@link healthUnderLoad}: the slowest liveness answer alone and under load (ms). */
export interface HealthRound {
  readonly baseline: number;
  readonly underLoad: number;
}

/**
 * Times the liveness route, 8 requests at once, alone and again and again while `hostile()`'s
 * requests are in flight (each must be answered `status`), for `rounds` rounds. `withinBudget` is true when a round's
 * slowest answer under load stayed under 3× its own baseline + 150 ms: a blocked event loop (the
 * regression this guards: 1.1–2.1 s) shows in every round, a spike of a shared 2-core machine
 * rarely in all of them.
 */
export async function healthUnderLoad(opts: {
  readonly health: () => Promise<unknown>;
  readonly hostile: () => Promise<{ status: number }>[];
  readonly status: number;
  readonly rounds?: number;
}): Promise<{ rounds: HealthRound[]; withinBudget: boolean }> {
  const timed = async () => {
    const started = performance.now();
    await opts.health();
    return performance.now() - started;
  };
  const eight = async () => Math.max(...(await Promise.all(Array.from({ length: 8 }, timed))));
  await eight(); // warm up
  const rounds: HealthRound[] = [];
  for (let i = 0; i < (opts.rounds ?? 3); i++) {
    const baseline = await eight();
    // Probe until every hostile request is answered: the probes overlap their parsing, not
    // only their upload (a probe answered before the bodies arrived proves nothing).
    let answered = false;
    const hostile = Promise.all(opts.hostile()).finally(() => (answered = true));
    let underLoad = 0;
    do underLoad = Math.max(underLoad, await eight());
    while (!answered);
    const answers = await hostile;
    for (const res of answers) {
      if (res.status !== opts.status) throw new Error(`hostile request answered ${res.status}`);
    }
    rounds.push({ baseline, underLoad });
  }
  return {
    rounds,
    withinBudget: rounds.some((r) => r.underLoad < r.baseline * 3 + 150),
  };
}
