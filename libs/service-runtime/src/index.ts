export {
  connectEventConsumer,
  runService,
  type EventConsumerHandle,
  type ServiceDefinition,
} from './run-service';
export { IntervalJob, intervalFromEnv } from './interval-job';
