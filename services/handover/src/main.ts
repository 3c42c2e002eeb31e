import './instrument';
import 'reflect-metadata';
import { CONTEXT_TOPICS } from '@ketenlink/messaging';
import { runService } from '@ketenlink/service-runtime';
import { HandoverAppModule, SERVICE_NAME } from './app.module';
import { HANDOVER_MIGRATIONS } from './infrastructure/migrations';

void runService({
  name: SERVICE_NAME,
  title: 'Ketenlink handover service',
  appModule: HandoverAppModule,
  defaultPort: Number(process.env.HANDOVER_PORT ?? 3006),
  migrations: HANDOVER_MIGRATIONS,
  // Trajectory facts for the gate and the guard; plan and risk assessment for the package.
  consumer: { group: SERVICE_NAME, topics: [CONTEXT_TOPICS.trajectory, CONTEXT_TOPICS.reviews] },
}).catch((err: unknown) => {
  console.error(
    JSON.stringify({ level: 'fatal', msg: 'handover failed to start', err: String(err) }),
  );
  process.exit(1);
});
