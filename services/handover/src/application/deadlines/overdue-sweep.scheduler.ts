import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { IntervalJob } from '@ketenlink/service-runtime';
import { HANDOVER_CONFIG, type HandoverConfig } from '../handover-config';
import { OverdueSweepService } from './overdue-sweep.service';

/** Runs the overdue sweep every HANDOVER_OVERDUE_SWEEP_INTERVAL_MS (0: off, tests drive it). */
@Injectable()
export class OverdueSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: IntervalJob;

  constructor(sweep: OverdueSweepService, @Inject(HANDOVER_CONFIG) config: HandoverConfig) {
    this.job = new IntervalJob({
      service: 'handover',
      what: 'handover overdue sweep',
      intervalMs: config.sweepIntervalMs,
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
