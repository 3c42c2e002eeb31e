import { ClientDataView, type Entitlement } from '@ketenlink/disclosure';
import type { DataCategory } from '@ketenlink/contracts';
import type { Handover } from './handover';
import type { LeftOut } from './package';

/**
 * The handover as its parties see it, every field with its data category (as the handover
 * contracts tag them); the gate's filter keeps what the reader is entitled to. `packageLeftOut`
 * is what the receiving organisation's package lacks and why (no client data: items, categories
 * and the policy's reasons), for the coordinators to act on (e.g. ask the client's consent).
 */
export const HANDOVER_VIEW = ClientDataView.of({
  id: 'metadata',
  trajectoryId: 'metadata',
  status: 'metadata',
  kind: 'participation',
  followOnCare: 'plan-and-goals',
  sendingOrganisationId: 'participation',
  sendingRole: 'participation',
  receivingOrganisationId: 'participation',
  reason: 'plan-and-goals',
  plannedDate: 'participation',
  requestedAt: 'metadata',
  responseDueAt: 'metadata',
  acceptedAt: 'participation',
  declined: {
    category: 'risk',
    object: { reasonCode: 'risk', reasonText: 'risk', at: 'participation' },
  },
  meeting: {
    category: 'contact-and-logistics',
    object: {
      meetingAt: 'contact-and-logistics',
      location: 'contact-and-logistics',
      probationOrganisationId: 'participation',
      scheduledAt: 'metadata',
    },
  },
  meetingHeld: {
    category: 'contact-and-logistics',
    object: {
      heldAt: 'contact-and-logistics',
      clientPresent: 'contact-and-logistics',
      receiverPresent: 'contact-and-logistics',
      probationPresent: 'contact-and-logistics',
      warm: 'participation',
    },
  },
  closingReportRecorded: 'metadata',
  completion: {
    category: 'participation',
    object: {
      receiverJoinsOn: 'participation',
      senderLeavesOn: 'participation',
      completedAt: 'metadata',
    },
  },
  cancelled: {
    category: 'participation',
    object: { reason: 'plan-and-goals', at: 'participation' },
  },
  overdueNotifiedAt: 'metadata',
  packageLeftOut: {
    category: 'metadata',
    arrayOf: { item: 'metadata', category: 'metadata', reason: 'metadata' },
  },
});

const iso = (d: Date | undefined) => d?.toISOString();

function plain(h: Handover, packageLeftOut: readonly LeftOut[] | undefined): object {
  return JSON.parse(
    JSON.stringify({
      id: h.id,
      trajectoryId: h.trajectoryId,
      status: h.status,
      kind: h.kind,
      followOnCare: h.followOnCare,
      sendingOrganisationId: h.sendingOrganisationId,
      sendingRole: h.sendingRole,
      receivingOrganisationId: h.receivingOrganisationId,
      reason: h.reason,
      plannedDate: h.plannedDate,
      requestedAt: iso(h.requestedAt),
      responseDueAt: iso(h.responseDueAt),
      acceptedAt: iso(h.acceptedAt),
      declined: h.declined,
      meeting: h.meeting,
      meetingHeld: h.meetingHeld,
      closingReportRecorded: h.closingReport !== undefined,
      completion: h.completion,
      cancelled: h.cancelled,
      overdueNotifiedAt: iso(h.overdueNotifiedAt),
      packageLeftOut,
    }),
  ) as object;
}

/** The handover answer as `entitlement` lets it out. Pure. */
export function handoverAnswer(
  h: Handover,
  entitlement: Pick<Entitlement, 'permitted'>,
  packageLeftOut?: readonly LeftOut[],
): { body: Record<string, unknown>; categories: DataCategory[] } {
  const { data, withheld, categories } = HANDOVER_VIEW.filter(
    plain(h, packageLeftOut),
    entitlement.permitted,
  );
  return { body: { ...data, withheld }, categories };
}
