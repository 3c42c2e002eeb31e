import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob, intervalFromEnv } from '@ketenlink/service-runtime';
import { OverdueSweepService } from './overdue-sweep.service';

/** Default: sweep every minute. AGREEMENTS_SWEEP_INTERVAL_MS=0 turns the timer off (tests). */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

/** Fires the overdue sweep on an interval (ADR 0026); SKIP LOCKED makes instances share it. */
@Injectable()
export class OverdueSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(sweep: OverdueSweepService) {
    this.job = new IntervalJob({
      service: 'agreements',
      what: 'overdue sweep',
      intervalMs: intervalFromEnv('AGREEMENTS_SWEEP_INTERVAL_MS', DEFAULT_SWEEP_INTERVAL_MS),
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
