import { ContractRegistry, formatEventType, type JsonSchema } from '@ketenlink/contracts';
import type { ContractView } from './fan-out';

/**
 * A notification-shaped test contract (the agreements service's notifications carry
 * `x-mandatory-for: ["probation"]`): fields of several categories, medical among them, so the
 * fan-out decision can be shown field by field without depending on another service's schemas.
 */
export const NOTICE_TYPE = formatEventType('notice', 'raised', 1);
export const REPORT_TYPE = formatEventType('report', 'filed', 1);

const cat = (c: string, type = 'string') => ({ 'x-data-category': c, type });

function schema(type: string, name: string, extra: Record<string, unknown> = {}): JsonSchema {
  const [, , context, event] = type.split('.');
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://schemas.ketenlink.nl/events/${context}.${event}/v1.schema.json`,
    title: name,
    'x-event-type': type,
    'x-published': false,
    ...extra,
    type: 'object',
    additionalProperties: false,
    required: ['trajectoryId'],
    properties: {
      trajectoryId: cat('metadata'),
      noticeId: cat('metadata'),
      condition: cat('title-and-conditions'),
      cause: cat('incidents-and-violations'),
      medication: cat('medical'),
      riskLevel: cat('risk'),
      nextStep: cat('plan-and-goals'),
      appointment: cat('contact-and-logistics'),
      contactPerson: cat('general-information'),
    },
  } as unknown as JsonSchema;
}

export const TEST_REGISTRY = ContractRegistry.fromSchemas(
  new Map([
    [
      'notice.raised/v1.schema.json',
      schema(NOTICE_TYPE, 'NoticeRaisedV1', { 'x-mandatory-for': ['probation'] }),
    ],
    ['report.filed/v1.schema.json', schema(REPORT_TYPE, 'ReportFiledV1')],
  ]),
);

export const TEST_CONTRACTS: ContractView = {
  filter: (type, data, permitted) => TEST_REGISTRY.filterPayload(type, data, permitted),
  mandatoryFor: (type) => TEST_REGISTRY.mandatoryRolesOf(type),
};

export const FULL_NOTICE = {
  trajectoryId: '5b0c7c0e-3f7e-4a51-9d0e-2f0b8f0f4a11',
  noticeId: 'n-1',
  condition: 'abstinence',
  cause: 'positive urine check',
  medication: 'methadone 40mg',
  riskLevel: 'orange',
  nextStep: 'driegesprek',
  appointment: '2026-12-03T10:00',
  contactPerson: 'case lead: zvh',
};
