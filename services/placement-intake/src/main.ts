import './instrument';
import 'reflect-metadata';
import { CONTEXT_TOPICS } from '@ketenlink/messaging';
import { runService } from '@ketenlink/service-runtime';
import { PlacementIntakeAppModule, SERVICE_NAME } from './app.module';
import { PLACEMENT_INTAKE_MIGRATIONS } from './infrastructure/migrations';

void runService({
  name: SERVICE_NAME,
  title: 'Ketenlink placement intake service',
  appModule: PlacementIntakeAppModule,
  defaultPort: Number(process.env.PLACEMENT_INTAKE_PORT ?? 3002),
  migrations: PLACEMENT_INTAKE_MIGRATIONS,
  consumer: { group: SERVICE_NAME, topics: [CONTEXT_TOPICS.trajectory] },
}).catch((err: unknown) => {
  console.error(
    JSON.stringify({ level: 'fatal', msg: 'placement-intake failed to start', err: String(err) }),
  );
  process.exit(1);
});
