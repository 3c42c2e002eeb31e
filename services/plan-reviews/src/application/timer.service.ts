import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createLogger } from '@ketenlink/observability';
import { DataSource } from 'typeorm';
import { Clock } from './clock';
import { ScheduleStore } from './ports/schedule.store.port';
import { ScheduleService } from './schedule.service';

/** Default tick: every 30 s; PLAN_REVIEWS_TIMER_INTERVAL_MS=0 turns the timer off (int tests tick). */
export const DEFAULT_TIMER_INTERVAL_MS = 30_000;
/** At most this many trajectories per tick: catching up after downtime never floods. */
export const DEFAULT_TIMER_BATCH = 100;

function intFromEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer >= ${min}, got '${raw}'`);
  return n;
}

/**
 * The durable review timers (docs/adr/0027): the outbox's own claim pattern. Each tick claims at
 * most `batch` trajectories with a timer due (their facts rows, FOR UPDATE SKIP LOCKED), and per
 * trajectory fires in one transaction: item states, next fire_at and the events' outbox rows
 * commit together. A killed instance's transaction rolls back; another instance claims the row.
 */
@Injectable()
export class ReviewTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly logger = createLogger('plan-reviews');
  readonly batch = intFromEnv('PLAN_REVIEWS_TIMER_BATCH', DEFAULT_TIMER_BATCH, 1);

  constructor(
    private readonly ds: DataSource,
    private readonly store: ScheduleStore,
    private readonly schedules: ScheduleService,
    private readonly clock: Clock,
  ) {}

  /** One tick at `now`: one claim of at most `batch` trajectories. Returns the events fired. */
  async tick(
    now = this.clock.now(),
    batch = this.batch,
  ): Promise<{ claimed: number; fired: number }> {
    return this.ds.transaction(async (tx) => {
      const ids = await this.store.claimDue(tx, now, batch);
      let fired = 0;
      for (const id of ids) fired += await this.schedules.fireDue(tx, id, now);
      return { claimed: ids.length, fired };
    });
  }

  onApplicationBootstrap(): void {
    const interval = intFromEnv('PLAN_REVIEWS_TIMER_INTERVAL_MS', DEFAULT_TIMER_INTERVAL_MS, 0);
    if (interval === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return; // never two ticks at once in one process
      this.running = this.tick()
        .then((r) => r.fired && this.logger.info(r, 'review timers fired'))
        .catch((err: unknown) =>
          this.logger.error({ err: String(err) }, 'review timer tick failed'),
        )
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
