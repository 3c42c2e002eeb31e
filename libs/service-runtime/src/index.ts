export {
  connectEventConsumer,
  runService,
  type EventConsumerHandle,
  type ServiceDefinition,
} from './run-service';
