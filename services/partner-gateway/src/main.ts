import './instrument';
import 'reflect-metadata';
import { runService } from '@ketenlink/service-runtime';
import { gatewayConsumer, PartnerGatewayAppModule, SERVICE_NAME } from './app.module';
import { PARTNER_GATEWAY_MIGRATIONS } from './infrastructure/migrations';

void runService({
  name: SERVICE_NAME,
  title: 'Ketenlink partner gateway',
  appModule: PartnerGatewayAppModule,
  defaultPort: Number(process.env.PARTNER_GATEWAY_PORT ?? 3005),
  migrations: PARTNER_GATEWAY_MIGRATIONS,
  consumer: gatewayConsumer(),
}).catch((err: unknown) => {
  console.error(
    JSON.stringify({ level: 'fatal', msg: 'partner-gateway failed to start', err: String(err) }),
  );
  process.exit(1);
});
