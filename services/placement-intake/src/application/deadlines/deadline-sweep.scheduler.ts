import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createLogger } from '@ketenlink/observability';
import { DeadlineSweepService } from './deadline-sweep.service';

/** Default: sweep every minute. PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS=0 turns the timer off (tests). */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

export function sweepIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS;
  const ms = raw === undefined || raw === '' ? DEFAULT_SWEEP_INTERVAL_MS : Number(raw);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS must be a number >= 0, got '${raw}'`);
  }
  return ms;
}

@Injectable()
export class DeadlineSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly logger = createLogger('placement-intake');

  constructor(private readonly sweep: DeadlineSweepService) {}

  onApplicationBootstrap(): void {
    const interval = sweepIntervalFromEnv();
    if (interval === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return; // never two sweeps at once in one process
      this.running = this.sweep
        .sweep(new Date())
        .then((n) => n && this.logger.info({ emitted: n }, 'deadline sweep reported overdue items'))
        .catch((err: unknown) => this.logger.error({ err: String(err) }, 'deadline sweep failed'))
        .finally(() => (this.running = undefined));
    }, interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
