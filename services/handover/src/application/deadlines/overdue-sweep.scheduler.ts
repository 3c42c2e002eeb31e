import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { createLogger } from '@ketenlink/observability';
import { HANDOVER_CONFIG, type HandoverConfig } from '../handover-config';
import { OverdueSweepService } from './overdue-sweep.service';

/** Runs the overdue sweep every HANDOVER_OVERDUE_SWEEP_INTERVAL_MS (0: off, tests drive it). */
@Injectable()
export class OverdueSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private readonly logger = createLogger('handover');

  constructor(
    private readonly sweep: OverdueSweepService,
    @Inject(HANDOVER_CONFIG) private readonly config: HandoverConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepIntervalMs === 0) return;
    this.timer = setInterval(() => {
      if (this.running) return; // never two sweeps at once in one process
      this.running = this.sweep
        .sweep(new Date())
        .then((n) => n && this.logger.info({ emitted: n }, 'handover requests overdue'))
        .catch((err: unknown) => this.logger.error({ err: String(err) }, 'overdue sweep failed'))
        .finally(() => (this.running = undefined));
    }, this.config.sweepIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
