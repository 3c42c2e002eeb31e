import { type DataCategory, type JsonSchema, loadSchemas } from '@ketenlink/contracts';
import { ClientDataView } from '@ketenlink/disclosure';
import { type Agreement, type Change, statusOf, type TermSection } from '../domain/agreement';
import type { Incident, Notification, Violation } from '../domain/records';

/**
 * The answers' shapes with a data category on every field. The terms, parties, conditions and
 * records reuse the event contracts' definitions, so an API answer and an event of the same
 * thing are cut the same way for the same reader.
 */
const schema = (type: string) => loadSchemas().schemaOf(`nl.ketenlink.${type}.v1`);
const M = { 'x-data-category': 'metadata' } as const;
const IV = { 'x-data-category': 'incidents-and-violations' } as const;
const cat = (c: DataCategory) => ({ 'x-data-category': c });
const ref = (def: string, c: DataCategory) => ({ $ref: `#/$defs/${def}`, 'x-data-category': c });
const ACTOR = ref('Actor', 'participation');

const drafted = schema('agreement.drafted');
export const AGREEMENT_VIEW = ClientDataView.fromSchema({
  type: 'object',
  $defs: drafted.$defs,
  properties: {
    agreementId: M,
    trajectoryId: M,
    status: M,
    basis: M,
    revision: M,
    inForce: M,
    parties: ref('Parties', 'participation'),
    termination: {
      type: 'object',
      ...IV,
      properties: { reason: IV, on: M, at: M, explanation: IV, violationId: IV, by: ACTOR },
    },
    versions: {
      type: 'array',
      ...cat('title-and-conditions'),
      items: {
        type: 'object',
        properties: {
          version: M,
          terms: ref('Terms', 'title-and-conditions'),
          createdAt: M,
          createdBy: ACTOR,
          reason: cat('title-and-conditions'),
          heldOn: cat('title-and-conditions'),
          activatedAt: M,
          signatures: {
            type: 'array',
            ...cat('participation'),
            items: {
              type: 'object',
              properties: { party: cat('participation'), at: M, by: ACTOR },
            },
          },
        },
      },
    },
  },
} as JsonSchema);

/** The category of each section of the terms (as in the contracts' Terms definition). */
export const SECTION_CATEGORY: Record<TermSection, DataCategory> = {
  conditions: 'title-and-conditions',
  notificationTriggers: 'title-and-conditions',
  contactFrequencies: 'title-and-conditions',
  driegesprek: 'title-and-conditions',
  clientGoals: 'plan-and-goals',
  probationGoals: 'plan-and-goals',
  lifeAreaOwners: 'plan-and-goals',
  firstPointOfContact: 'general-information',
  houseRules: 'plan-and-goals',
};
const change = (c: DataCategory) => ({
  type: 'array',
  ...cat(c),
  items: { type: 'object', properties: { change: M, id: M, before: cat(c), after: cat(c) } },
});
export const DIFF_VIEW = ClientDataView.fromSchema({
  type: 'object',
  properties: {
    agreementId: M,
    from: M,
    to: M,
    changes: {
      type: 'object',
      ...M,
      properties: Object.fromEntries(
        Object.entries(SECTION_CATEGORY).map(([s, c]) => [s, change(c)]),
      ),
    },
  },
} as JsonSchema);

/** A view from an event schema plus the fields the record gains after the event. */
function recordView(type: string, extra: Record<string, unknown>): ClientDataView {
  const s = schema(type);
  return ClientDataView.fromSchema({
    type: 'object',
    $defs: s.$defs,
    properties: { ...s.properties, ...extra },
  } as JsonSchema);
}
const ACTOR_DEF_EXTRA = { by: ACTOR };
export const NOTIFICATION_VIEW = recordView('notification.raised', {
  acknowledged: { type: 'object', ...IV, properties: { at: M, response: IV, ...ACTOR_DEF_EXTRA } },
  overdueReportedAt: M,
});
export const VIOLATION_VIEW = recordView('violation.recorded', {});
export const INCIDENT_VIEW = recordView('incident.recorded', {
  reported: {
    type: 'object',
    ...IV,
    properties: { at: IV, reference: IV, late: IV, ...ACTOR_DEF_EXTRA },
  },
  overdueReportedAt: M,
});

const iso = (d: Date | undefined) => d?.toISOString();
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function agreementBody(a: Agreement): Record<string, unknown> {
  return defined({
    agreementId: a.id,
    trajectoryId: a.trajectoryId,
    status: statusOf(a),
    basis: a.basis,
    revision: a.revision,
    inForce: a.inForce,
    parties: a.parties,
    termination: a.termination
      ? defined({ ...a.termination, at: iso(a.termination.at) })
      : undefined,
    versions: a.versions.map((v) =>
      defined({
        version: v.version,
        terms: v.terms,
        createdAt: iso(v.createdAt),
        createdBy: v.createdBy,
        reason: v.reason,
        heldOn: v.heldOn,
        activatedAt: iso(v.activatedAt),
        signatures: v.signatures.map((s) => defined({ party: s.party, at: iso(s.at), by: s.by })),
      }),
    ),
  });
}

export function diffBody(agreementId: string, from: number, to: number, changes: Change[]) {
  const bySection: Record<string, unknown[]> = {};
  for (const c of changes) {
    (bySection[c.section] ??= []).push(
      defined({
        change: c.change,
        id: 'id' in c ? c.id : undefined,
        before: c.before,
        after: c.after,
      }),
    );
  }
  return { agreementId, from, to, changes: bySection };
}

export function notificationBody(n: Notification): Record<string, unknown> {
  return defined({
    trajectoryId: n.trajectoryId,
    notificationId: n.id,
    agreementId: n.agreementId,
    agreementVersion: n.agreementVersion,
    kind: n.kind,
    urgency: n.urgency,
    condition: n.condition,
    triggerId: n.triggerId,
    cause: n.cause,
    agreedWithClient: n.agreedWithClient,
    clientInformed: n.clientInformed,
    acknowledgementDueAt: iso(n.acknowledgementDueAt),
    raisedAt: iso(n.raisedAt),
    raisedBy: n.raisedBy,
    probationOrganisationId: n.probationOrganisationId,
    acknowledged: n.acknowledged
      ? defined({
          at: iso(n.acknowledged.at),
          by: n.acknowledged.by,
          response: n.acknowledged.response,
        })
      : undefined,
    overdueReportedAt: iso(n.overdueReportedAt),
  });
}

export function violationBody(v: Violation): Record<string, unknown> {
  return defined({
    trajectoryId: v.trajectoryId,
    violationId: v.id,
    agreementId: v.agreementId,
    condition: v.condition,
    description: v.description,
    occurredOn: v.occurredOn,
    consequence: v.consequence,
    notificationId: v.notificationId,
    recordedAt: iso(v.recordedAt),
    recordedBy: v.recordedBy,
  });
}

export function incidentBody(i: Incident): Record<string, unknown> {
  return defined({
    trajectoryId: i.trajectoryId,
    incidentId: i.id,
    agreementId: i.agreementId,
    kind: i.kind,
    occurredAt: iso(i.occurredAt),
    description: i.description,
    reportable: i.reportable,
    inspectorateDeadline: iso(i.inspectorateDeadline),
    recordedAt: iso(i.recordedAt),
    recordedBy: i.recordedBy,
    reported: i.reported
      ? defined({
          at: iso(i.reported.at),
          reference: i.reported.reference,
          late: i.reported.late,
          by: i.reported.by,
        })
      : undefined,
    overdueReportedAt: iso(i.overdueReportedAt),
  });
}
