/**
 * @ketenlink/contracts: the event contracts of Ketenlink (contracts/README.md).
 *
 * Payload schemas live in contracts/events/<context>.<event>/v<major>.schema.json; every field
 * carries its data category. This module validates payloads, tells which category each field
 * has, filters payloads field by field for consent-governed sharing, and names schema URIs and
 * topics. Plain TypeScript, no framework.
 */
export {
  DATA_CATEGORIES,
  type DataCategory,
  isDataCategory,
  PROBLEM_AND_TREATMENT_CATEGORIES,
} from './categories';
export {
  BOUNDED_CONTEXT_OF,
  TOPIC_OWNER_OVERRIDES,
  type BoundedContext,
  contextTopic,
  formatEventType,
  interfaceNameOf,
  type ParsedEventType,
  parseEventType,
  SCHEMA_BASE_URI,
  schemaPathOf,
  schemaUriOf,
  topicOf,
} from './event-types';
export { type CategoryPredicate, filterFields, type FilterResult } from './filter';
export { type Field, fieldsOf, type JsonSchema } from './json-schema';
export {
  ContractRegistry,
  dataCategoriesOf,
  filterPayload,
  loadSchemas,
  mandatoryRolesOf,
  validatePayload,
  type ValidationResult,
} from './registry';
export {
  checkSnapshot,
  compareSchemas,
  isIncompatible,
  needsFreeze,
  type SchemaChange,
  type Severity,
  type SnapshotEntry,
  type SnapshotStatus,
} from './compat';
export {
  PARTICIPATION_ROLES,
  type ParticipationRole,
  TITLE_KINDS,
  type TitleKind,
} from './vocabulary';
export * from '../generated/events';
export { DomainError, type DomainErrorKind, type DomainErrorOptions } from './domain-error';
