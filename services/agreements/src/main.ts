import './instrument';
import 'reflect-metadata';
import { CONTEXT_TOPICS } from '@ketenlink/messaging';
import { runService } from '@ketenlink/service-runtime';
import { AgreementsAppModule, SERVICE_NAME } from './app.module';
import { AGREEMENTS_MIGRATIONS } from './infrastructure/migrations';

void runService({
  name: SERVICE_NAME,
  title: 'Ketenlink agreements service',
  appModule: AgreementsAppModule,
  defaultPort: Number(process.env.AGREEMENTS_PORT ?? 3003),
  migrations: AGREEMENTS_MIGRATIONS,
  consumer: { group: SERVICE_NAME, topics: [CONTEXT_TOPICS.trajectory] },
}).catch((err: unknown) => {
  console.error(
    JSON.stringify({ level: 'fatal', msg: 'agreements failed to start', err: String(err) }),
  );
  process.exit(1);
});
