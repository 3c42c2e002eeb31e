export {
  fromKafkaRecord,
  headerString,
  MalformedEventError,
  toKafkaRecord,
} from './envelope/binary-mode';
export type { KafkaRecord, RawHeaders } from './envelope/binary-mode';
export { buildCloudEvent, causedBy } from './envelope/cloud-event';
export type { CloudEvent, NewEvent } from './envelope/cloud-event';
export type {
  AdminPort,
  ConsumerClientOptions,
  ConsumerPort,
  ConsumerRunOptions,
  ConsumerState,
  IncomingBatch,
  IncomingRecord,
  KafkaClientName,
  KafkaClients,
  OutgoingRecord,
  PartitionOffsets,
  ProducerPort,
  RecordReaderPort,
  SendOptions,
  TopicDescription,
  TopicSpec,
} from './kafka/kafka.port';
export { KafkaSendError } from './kafka/kafka.port';
export { brokersFromEnv } from './kafka/kafkajs.adapter';
export { type ConsumerCredentials, KafkaAccessControl } from './kafka/access-control';
export {
  DEFAULT_KAFKA_CLIENT,
  eachRecord,
  kafkaClientFromEnv,
  kafkaClients,
  type KafkaClientsOptions,
} from './kafka/kafka-clients';
export { OutboxInbox1763900000000 } from './outbox/outbox-inbox.migration';
export { OutboxLeases1764000000000 } from './outbox/outbox-leases.migration';
export { OutboxHotLeases1764100000000 } from './outbox/outbox-hot-leases.migration';
export { MESSAGING_MIGRATIONS } from './outbox/messaging-migrations';
export { appendToOutbox, type OutboxEntry } from './outbox/outbox-writer';
export { wakeRelayAfterCommit } from './outbox/typeorm-commit-wake';
export {
  OutboxRelay,
  type OutboxRelayOptions,
  type OutboxRelayState,
  type OutboxRelayStatus,
} from './outbox/outbox-relay';
export {
  ANY_EVENT_TYPE,
  CloudEventsKafkaTransport,
  HANDLER_ORDER,
  type CloudEventsTransportOptions,
} from './consumer/cloud-events.transport';
export { EventContext } from './consumer/event-context';
export { EventConsumer, type EventConsumerOptions } from './consumer/event-consumer';
export {
  EventProcessor,
  type EventHandlerFn,
  type EventProcessorOptions,
  type PayloadValidator,
  type RecordPosition,
  type RetryPolicy,
  type TransactionScope,
} from './consumer/event-processor';
export { isTransientInfrastructureError, PermanentEventError } from './consumer/errors';
export { noopMessagingMetrics, registryMessagingMetrics, type MessagingMetrics } from './metrics';
export { silentLogger, type MessagingLogger } from './logger';
export { OUTBOX_CHANNEL, type SqlExecutor, type TransactionRunner } from './sql';
export {
  CONTEXT_TOPICS,
  contextTopics,
  deadLetterTopic,
  deadLetterTopicSpec,
  partnerTopic,
  partnerTopicSpec,
  topicForEventType,
} from './topics/topics';
export { ContractViolationError, EventEmitter, type EmitInput } from './outbox/event-emitter';
export { MessagingModule, type MessagingModuleOptions } from './nest/messaging.module';
export { listDeadLetters, replayDeadLetter, type DeadLetter } from './dead-letters/dead-letters';
export { RethrowEventHandlerErrorsFilter } from './consumer/rethrow-errors.filter';
