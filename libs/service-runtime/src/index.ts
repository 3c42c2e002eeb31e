export { connectEventConsumer, runService, type ServiceDefinition } from './run-service';
