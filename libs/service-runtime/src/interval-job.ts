import { createLogger } from '@ketenlink/observability';

/**
 * A periodic job of a service (e.g. a deadline sweep that claims due rows with SKIP LOCKED):
 * fires every `intervalMs`, never two runs at once in one process, waits for the running one on
 * stop. The job itself must be idempotent and safe across instances; this only times it.
 */
export class IntervalJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly logger;

  constructor(
    private readonly options: {
      /** Service name for the log lines. */
      readonly service: string;
      /** What it does, e.g. `deadline sweep`. */
      readonly what: string;
      /** 0 = never (tests call the job directly). */
      readonly intervalMs: number;
      /** One run; answers how many things it reported (logged when > 0). */
      readonly run: () => Promise<number>;
    },
  ) {
    this.logger = createLogger(options.service);
  }

  start(): void {
    if (this.options.intervalMs === 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.options
        .run()
        .then((n) => n && this.logger.info({ emitted: n }, `${this.options.what} reported items`))
        .catch((err: unknown) =>
          this.logger.error({ err: String(err) }, `${this.options.what} failed`),
        )
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/** A millisecond interval from the environment: a number >= 0, `fallback` when unset. */
export function intervalFromEnv(
  name: string,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = env[name];
  const ms = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`${name} must be a number >= 0, got '${raw}'`);
  }
  return ms;
}
