import type {
  AgreementDraftedV1,
  AgreementTerminatedV1,
  IncidentRecordedV1,
  NotificationRaisedV1,
  ViolationRecordedV1,
} from '@ketenlink/contracts';

/**
 * The word lists of the agreements contracts, for input validation. The schemas are the source
 * of truth; vocabulary.spec.ts keeps these equal to the schema enums.
 */
type Terms = AgreementDraftedV1['terms'];
export const CONDITION_TYPES = [
  'abstinence',
  'treatment',
  'housing',
  'location-ban',
  'contact-ban',
  'reporting-duty',
  'daytime-activity',
  'other',
] as const satisfies readonly Terms['conditions'][number]['type'][];
export const CONDITION_SOURCES = [
  'court-decision',
  'prosecutor-decision',
  'parole-decision',
  'title-registration',
  'agreement',
] as const satisfies readonly Terms['conditions'][number]['source'][];
export const TRIGGER_KINDS = [
  'condition-violation',
  'rising-risk',
  'positive-urine-check',
  'risk-raising-life-event',
  'other',
] as const satisfies readonly Terms['notificationTriggers'][number]['kind'][];
export const CONTACT_BETWEEN = [
  'client-officer',
  'support-worker-officer',
] as const satisfies readonly Terms['contactFrequencies'][number]['between'][];
export const INTERVAL_UNITS = [
  'day',
  'week',
  'month',
] as const satisfies readonly Terms['driegesprek']['every']['unit'][];
export const LIFE_AREAS = [
  'housing',
  'work-and-daytime',
  'finances',
  'health',
  'addiction',
  'social-network',
  'justice',
  'other',
] as const satisfies readonly Terms['lifeAreaOwners'][number]['lifeArea'][];
export const LIFE_AREA_OWNERS = [
  'client',
  'probation',
  'provider',
  'other',
] as const satisfies readonly Terms['lifeAreaOwners'][number]['owner'][];
export const CONTACT_PARTIES = [
  'provider',
  'probation',
] as const satisfies readonly Terms['firstPointOfContact']['party'][];
export const TERMINATION_REASONS = [
  'title-ended',
  'placement-ended',
  'violation',
  'other',
] as const satisfies readonly AgreementTerminatedV1['reason'][];
export const NOTIFICATION_KINDS = [
  'condition-violation',
  'rising-risk',
  'positive-urine-check',
  'risk-raising-life-event',
  'progress',
  'other',
] as const satisfies readonly NotificationRaisedV1['kind'][];
export const URGENCIES = [
  'routine',
  'urgent',
] as const satisfies readonly NotificationRaisedV1['urgency'][];
export const CONSEQUENCE_KINDS = [
  'warning',
  'visiting-ban',
  'suspension',
  'end-of-stay',
  'return-to-prison',
  'none',
] as const satisfies readonly ViolationRecordedV1['consequence']['kind'][];
export const DECIDED_BY = [
  'provider',
  'probation',
  'prosecutor',
  'court',
  'other-authority',
] as const satisfies readonly ViolationRecordedV1['consequence']['decidedBy'][];
export const INCIDENT_KINDS = [
  'absconding',
  'not-returning-from-leave',
  'serious-violence',
  'death',
  'calamity',
  'other',
] as const satisfies readonly IncidentRecordedV1['kind'][];
