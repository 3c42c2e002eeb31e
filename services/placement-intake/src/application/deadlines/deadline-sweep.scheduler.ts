import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob, intervalFromEnv } from '@ketenlink/service-runtime';
import { DeadlineSweepService } from './deadline-sweep.service';

/** Default: sweep every minute. PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS=0 turns the timer off (tests). */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

@Injectable()
export class DeadlineSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(sweep: DeadlineSweepService) {
    this.job = new IntervalJob({
      service: 'placement-intake',
      what: 'deadline sweep',
      intervalMs: intervalFromEnv(
        'PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS',
        DEFAULT_SWEEP_INTERVAL_MS,
      ),
      run: () => sweep.sweep(new Date()),
    });
  }

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
