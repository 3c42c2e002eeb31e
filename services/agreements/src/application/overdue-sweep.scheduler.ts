import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createLogger } from '@ketenlink/observability';
import { OverdueSweepService } from './overdue-sweep.service';

/** Default: sweep every minute. AGREEMENTS_SWEEP_INTERVAL_MS=0 turns the timer off (tests). */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

export function sweepIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AGREEMENTS_SWEEP_INTERVAL_MS;
  const ms = raw === undefined || raw === '' ? DEFAULT_SWEEP_INTERVAL_MS : Number(raw);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`AGREEMENTS_SWEEP_INTERVAL_MS must be a number >= 0, got '${raw}'`);
  }
  return ms;
}

/** Fires the sweep on an interval; never two at once in one process (SKIP LOCKED across them). */
@Injectable()
export class OverdueSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly logger = createLogger('agreements');

  constructor(private readonly sweep: OverdueSweepService) {}

  onApplicationBootstrap(): void {
    const interval = sweepIntervalFromEnv();
    if (interval === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep
        .sweep(new Date())
        .then((n) => n && this.logger.info({ emitted: n }, 'overdue sweep reported items'))
        .catch((err: unknown) => this.logger.error({ err: String(err) }, 'overdue sweep failed'))
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
