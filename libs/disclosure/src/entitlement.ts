import { DATA_CATEGORIES, type DataCategory } from '@ketenlink/contracts';
import {
  type ConsentRecord,
  type Decision,
  decideAll,
  isConsentInForce,
  isParticipating,
  type Participation,
  type Recipient,
} from '@ketenlink/consent';
import { isStaff, type Reader, recipientOf } from './reader';
import { tokenRoleView } from './token-role-views';

/**
 * A time-bounded disclosure made by a service on its own legal ground, e.g. a referral: the
 * addressed provider may read the file's categories from the request until the decision, a
 * withdrawal or leaving. Decided like a consent record (libs/consent, unchanged), and it also
 * makes the trajectory visible to its recipient while in force.
 */
export interface DisclosureGrant {
  readonly id: string;
  readonly recipientOrganisationId: string;
  readonly categories: readonly DataCategory[];
  /** What it is for, e.g. `referral`; shown in the access log's basis. */
  readonly purpose: string;
  readonly legalBasis: 'legal-duty' | 'consent';
  readonly validFrom: Date;
  /** Exclusive end; absent while in force without a known end. */
  readonly validUntil?: Date;
}

/** What the gate knows of one trajectory at the instant of reading. */
export interface TrajectoryFacts {
  readonly trajectoryId: string;
  readonly participations: readonly Participation[];
  readonly consents: readonly ConsentRecord[];
  readonly grants?: readonly DisclosureGrant[];
  /**
   * R-TITLE-END: when the trajectory's last legal title ended (or ends), probation's title-bound
   * legal duty ends with it (libs/consent PolicyInput.legalDutyUntil). Absent: no title end.
   */
  readonly legalDutyUntil?: Date;
}

/** One decision per data category for one reader on one trajectory at one instant. */
export interface Entitlement {
  readonly recipient: Recipient;
  /** Whether the reader may know the trajectory exists (otherwise: not found). */
  readonly visible: boolean;
  readonly permitted: ReadonlySet<DataCategory>;
  readonly decisions: Readonly<Record<DataCategory, Decision>>;
}

function grantAsRecord(g: DisclosureGrant): ConsentRecord {
  return {
    id: g.id,
    recipient: { kind: 'organisation', id: g.recipientOrganisationId },
    categories: [...g.categories],
    purpose: g.purpose,
    legalBasis: g.legalBasis,
    validFrom: g.validFrom,
    ...(g.validUntil ? { validUntil: g.validUntil } : {}),
  };
}

function visibleTo(reader: Reader, recipient: Recipient, facts: TrajectoryFacts, at: Date) {
  if (!isStaff(reader)) return reader.trajectoryId === facts.trajectoryId;
  if (recipient.kind === 'operator') return true;
  const org = reader.organisationId;
  return (
    facts.participations.some((p) => p.organisationId === org && isParticipating(p, at)) ||
    (facts.grants ?? []).some(
      (g) => g.recipientOrganisationId === org && isConsentInForce(grantAsRecord(g), at),
    )
  );
}

const denyAll = (reason: string): Record<DataCategory, Decision> => {
  const out = {} as Record<DataCategory, Decision>;
  for (const c of DATA_CATEGORIES) out[c] = { permit: false, reason };
  return out;
};

/**
 * The reader's entitlement: the consent policy (libs/consent decideAll, with the service's
 * disclosure grants as records) for the reader's recipient, cut to what the token's roles
 * reach inside the organisation. Pure.
 */
export function entitlementOf(reader: Reader, facts: TrajectoryFacts, at: Date): Entitlement {
  const recipient = recipientOf(reader);
  if (!visibleTo(reader, recipient, facts, at)) {
    return {
      recipient,
      visible: false,
      permitted: new Set(),
      decisions: denyAll('the reader does not take part in this trajectory'),
    };
  }
  const grants = facts.grants ?? [];
  const decisions = decideAll({
    recipient,
    participations: facts.participations,
    consents: [...facts.consents, ...grants.map(grantAsRecord)],
    at,
    ...(facts.legalDutyUntil ? { legalDutyUntil: facts.legalDutyUntil } : {}),
  });
  const view =
    isStaff(reader) && recipient.kind === 'organisation' ? tokenRoleView(reader.roles) : undefined;
  for (const c of DATA_CATEGORIES) {
    const d = decisions[c];
    if (!d.permit) continue;
    if (view && !view.has(c)) {
      decisions[c] = { permit: false, reason: `the token's roles do not reach ${c}` };
      continue;
    }
    const grant = d.consentId ? grants.find((g) => g.id === d.consentId) : undefined;
    if (grant) decisions[c] = { ...d, rule: `disclosure-record:${grant.purpose}` };
  }
  const permitted = new Set(DATA_CATEGORIES.filter((c) => decisions[c].permit));
  return { recipient, visible: true, permitted, decisions };
}

/** Category → `basis (rule [record id])`, for the categories disclosed; what the log keeps. */
export function basesOf(
  entitlement: Pick<Entitlement, 'decisions'>,
  categories: Iterable<DataCategory>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of categories) {
    const d = entitlement.decisions[c];
    if (d.permit) out[c] = `${d.basis} (${d.rule}${d.consentId ? ` ${d.consentId}` : ''})`;
  }
  return out;
}
