// Loaded first by main.ts: OpenTelemetry must patch http/express/pg before they are required.
import { startTelemetry } from '@ketenlink/observability';

startTelemetry({ serviceName: 'agreements' });
