import './instrument';
import 'reflect-metadata';
import { CONTEXT_TOPICS } from '@ketenlink/messaging';
import { runService } from '@ketenlink/service-runtime';
import { SERVICE_NAME, TrajectoryAppModule } from './app.module';
import { TRAJECTORY_MIGRATIONS } from './infrastructure/migrations';

void runService({
  name: SERVICE_NAME,
  title: 'Ketenlink trajectory service',
  appModule: TrajectoryAppModule,
  defaultPort: Number(process.env.TRAJECTORY_PORT ?? 3001),
  migrations: TRAJECTORY_MIGRATIONS,
  // The timeline holds every domain event of a trajectory, from every service's topic.
  consumer: { group: 'trajectory', topics: Object.values(CONTEXT_TOPICS) },
}).catch((err: unknown) => {
  console.error(
    JSON.stringify({ level: 'fatal', msg: 'trajectory failed to start', err: String(err) }),
  );
  process.exit(1);
});
