/**
 * One plan-reviews timer instance in its own process, for the exactly-once test: the real
 * ReviewTimer, store and outbox emitter on the TEST database, at the fixed instant TIMER_NOW.
 * With TIMER_PAUSE_MS it prints FIRING after writing a batch's events and waits before the
 * commit, so a SIGKILL lands while firing (state and outbox rows written, not committed).
 */
import 'reflect-metadata';
import { EventEmitter } from '@ketenlink/messaging';
import { createServiceDataSource } from '@ketenlink/persistence';
import { Clock } from '../application/clock';
import { ScheduleService } from '../application/schedule.service';
import { ReviewTimer } from '../application/timer.service';
import { PLAN_REVIEWS_MIGRATIONS } from '../infrastructure/migrations';
import { SqlScheduleStore } from '../infrastructure/schedule.store';

const now = new Date(process.env.TIMER_NOW!);
const pause = Number(process.env.TIMER_PAUSE_MS ?? 0);

class FixedClock extends Clock {
  now(): Date {
    return now;
  }
}

class PausingEmitter extends EventEmitter {
  override async emit(...args: Parameters<EventEmitter['emit']>) {
    const out = await super.emit(...args);
    if (pause > 0 && args[1].some((e) => e.type === 'nl.ketenlink.review.due.v1')) {
      process.stdout.write('FIRING\n');
      await new Promise((r) => setTimeout(r, pause));
    }
    return out;
  }
}

async function main(): Promise<void> {
  const ds = createServiceDataSource({
    service: 'plan-reviews',
    url: process.env.TIMER_DATABASE_URL!,
    entities: [],
    migrations: PLAN_REVIEWS_MIGRATIONS,
  });
  await ds.initialize();
  const store = new SqlScheduleStore(ds);
  const schedules = new ScheduleService(
    ds,
    store,
    new PausingEmitter('plan-reviews', 'trajectory'),
  );
  const timer = new ReviewTimer(ds, store, schedules, new FixedClock());
  process.stdout.write('STARTED\n');
  for (;;) {
    const r = await timer.tick(now, Number(process.env.TIMER_BATCH ?? 5));
    process.stdout.write(`TICK ${r.claimed} ${r.fired}\n`);
    if (r.claimed === 0) await new Promise((res) => setTimeout(res, 50));
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`timer-process failed: ${String(err)}\n`);
  process.exit(1);
});
