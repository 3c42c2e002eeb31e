import './instrument';
import 'reflect-metadata';
import { CONTEXT_TOPICS } from '@ketenlink/messaging';
import { runService } from '@ketenlink/service-runtime';
import { PartnerGatewayAppModule, SERVICE_NAME } from './app.module';
import { PARTNER_GATEWAY_MIGRATIONS } from './infrastructure/migrations';

void runService({
  name: SERVICE_NAME,
  title: 'Ketenlink partner gateway',
  appModule: PartnerGatewayAppModule,
  defaultPort: Number(process.env.PARTNER_GATEWAY_PORT ?? 3005),
  migrations: PARTNER_GATEWAY_MIGRATIONS,
  // Every context topic: the gateway fans every domain event out to its partners.
  consumer: { group: SERVICE_NAME, topics: Object.values(CONTEXT_TOPICS) },
}).catch((err: unknown) => {
  console.error(
    JSON.stringify({ level: 'fatal', msg: 'partner-gateway failed to start', err: String(err) }),
  );
  process.exit(1);
});
