import {
  type CategoryPredicate,
  DATA_CATEGORIES,
  type DataCategory,
  type FilterResult,
} from '@ketenlink/contracts';
import type { Decision } from '@ketenlink/consent';
import { entitlementOf, type Reader, type TrajectoryFacts } from '@ketenlink/disclosure';
import type { PartnerChannel, PartnerProfile } from './partner';
import { PLACEMENT_WITHDRAWN } from './referral-grants';

/** What fan-out needs of the contracts: the field filter and the mandatory roles of a type. */
export interface ContractView {
  filter(type: string, data: unknown, permitted: CategoryPredicate): FilterResult;
  mandatoryFor(type: string): readonly string[];
}

/** The envelope facts of the event being fanned out. */
export interface SourceEvent {
  readonly id: string;
  readonly type: string;
  /** The trajectory id. */
  readonly subject: string;
  readonly data: unknown;
}

export type DeliveryMode = 'thin' | 'full';
export type LegalBasis = 'consent' | 'legal-duty' | 'covenant';

/** One projection for one partner channel: what goes out, and on which ground. */
export interface Delivery {
  readonly organisationId: string;
  readonly channel: PartnerChannel;
  readonly mode: DeliveryMode;
  /** The payload as delivered: only fields of permitted categories (thin: metadata only). */
  readonly data: Record<string, unknown>;
  /** Categories of the fields delivered. */
  readonly categories: readonly DataCategory[];
  /**
   * Categories whose fields the event carries for this partner (what its type and thin link
   * reveal, and what a pull would show): the ground of the delivery.
   */
  readonly entitledCategories: readonly DataCategory[];
  /** The headline basis (ce_legalbasis): consent > covenant > legal-duty among the grounds. */
  readonly legalBasis: LegalBasis;
  /** Consent ids the grounds rely on (ce_consentref is the first). */
  readonly consentRefs: readonly string[];
  /** Category → `basis (rule [record])`, for the audit. */
  readonly bases: Readonly<Record<string, string>>;
}

/** A partner that would have received the event and did not, and why (for the audit). */
export interface Withheld {
  readonly organisationId: string;
  readonly reason: string;
}

export interface FanOutResult {
  readonly deliveries: readonly Delivery[];
  readonly withheld: readonly Withheld[];
}

/** The reader the gate decides for: the partner's system acting for its organisation, or relatives. */
export function partnerReader(partner: PartnerProfile): Reader {
  if (partner.audience === 'relatives') {
    return {
      kind: 'relative',
      subject: `partner:${partner.organisationId}`,
      trajectoryId: partner.trajectoryId ?? '',
    };
  }
  return {
    kind: 'staff',
    subject: `partner:${partner.organisationId}`,
    organisationId: partner.organisationId,
    roles: ['partner-system'],
  };
}

/** Participation roles the partner holds on the trajectory at `at`. */
function rolesAt(partner: PartnerProfile, facts: TrajectoryFacts, at: Date): Set<string> {
  const t = at.getTime();
  return new Set(
    facts.participations
      .filter(
        (p) =>
          p.organisationId === partner.organisationId &&
          p.from.getTime() <= t &&
          (p.until === undefined || t < p.until.getTime()),
      )
      .map((p) => p.role),
  );
}

/** Whether the partner receives this type at all: subscribed, or mandatory for a role it holds. */
export function wantsType(
  partner: PartnerProfile,
  type: string,
  facts: TrajectoryFacts,
  at: Date,
  contracts: Pick<ContractView, 'mandatoryFor'>,
): boolean {
  if (partner.subscriptions.has(type)) return true;
  if (partner.audience !== 'organisation') return false;
  const roles = rolesAt(partner, facts, at);
  return contracts.mandatoryFor(type).some((r) => roles.has(r));
}

/**
 * The facts an event is decided with: an event about one placement (its `placementId`) relies on
 * that placement's referral grant only, as placement-intake shows a placement only to its
 * referrer and its addressed provider; a provider addressed by another placement of the
 * trajectory does not learn of this one through its own referral (ADR 0042). The placement's
 * withdrawal is decided with the grant as it stood before the withdrawal ended it. Other grants
 * and events that name no placement are unchanged.
 */
export function factsForEvent(event: SourceEvent, facts: TrajectoryFacts): TrajectoryFacts {
  const data = event.data as { placementId?: unknown; withdrawnAt?: unknown } | null;
  const placementId = data?.placementId;
  if (typeof placementId !== 'string' || !facts.grants?.length) return facts;
  // The withdrawal itself ends the referral at its instant; the addressed provider is told of it
  // on the grant as it stood (its system must close the request), and of nothing after it.
  const endedBy =
    event.type === PLACEMENT_WITHDRAWN && typeof data?.withdrawnAt === 'string'
      ? Date.parse(data.withdrawnAt)
      : undefined;
  const grants = facts.grants
    .filter((g) => g.purpose !== 'referral' || g.id === placementId)
    .map((g) => {
      if (
        endedBy === undefined ||
        g.purpose !== 'referral' ||
        g.validUntil?.getTime() !== endedBy
      ) {
        return g;
      }
      const { validUntil: _ended, ...asItStood } = g;
      return asItStood;
    });
  const same =
    grants.length === facts.grants.length && grants.every((g, i) => g === facts.grants![i]);
  return same ? facts : { ...facts, grants };
}

const BASIS_ORDER: readonly LegalBasis[] = ['consent', 'covenant', 'legal-duty'];

function asLegalBasis(d: Decision): LegalBasis {
  if (!d.permit) return 'legal-duty';
  if (d.basis === 'consent' || d.basis === 'covenant') return d.basis;
  // data-subject, general-information, operations and legal-duty rest on the law itself.
  return 'legal-duty';
}

/**
 * The fan-out decision for one event (pure): for every partner that wants the type and takes
 * part (or, for relatives, is bound to the trajectory), the payload is cut field by field to the
 * categories the consent policy permits at `at` through the disclosure gate's entitlement
 * (libs/disclosure). Nothing goes where no field beyond metadata is permitted: the type of an
 * event is itself information. Thin by default: only metadata fields (ids, times) and a link to
 * pull; the permitted fields when the partner opted in to full payloads.
 */
export function fanOut(
  event: SourceEvent,
  partners: readonly PartnerProfile[],
  facts: TrajectoryFacts | undefined,
  at: Date,
  contracts: ContractView,
): FanOutResult {
  const deliveries: Delivery[] = [];
  const withheld: Withheld[] = [];
  if (!facts) {
    return {
      deliveries,
      withheld: partners
        .filter((p) => p.subscriptions.has(event.type))
        .map((p) => ({ organisationId: p.organisationId, reason: 'unknown trajectory' })),
    };
  }
  const decided = factsForEvent(event, facts);
  for (const partner of partners) {
    if (partner.audience === 'relatives' && partner.trajectoryId !== event.subject) continue;
    if (!wantsType(partner, event.type, decided, at, contracts)) continue;
    const channels = partner.channels.filter(
      (c) => c.eventTypes.length === 0 || c.eventTypes.includes(event.type),
    );
    if (channels.length === 0) continue;
    const entitlement = entitlementOf(partnerReader(partner), decided, at);
    if (!entitlement.visible) {
      withheld.push({
        organisationId: partner.organisationId,
        reason: 'does not take part in the trajectory',
      });
      continue;
    }
    const permitted = (c: DataCategory): boolean => entitlement.permitted.has(c);
    const view = contracts.filter(event.type, event.data, permitted);
    const entitled = fieldCategories(contracts, event.type, view.data);
    const substantive = [...entitled].filter((c) => c !== 'metadata');
    if (substantive.length === 0) {
      withheld.push({
        organisationId: partner.organisationId,
        reason: 'no field of the event is permitted beyond metadata',
      });
      continue;
    }
    const mode: DeliveryMode = partner.fullPayloads ? 'full' : 'thin';
    const delivered =
      mode === 'full'
        ? view
        : contracts.filter(event.type, event.data, (c) => c === 'metadata' && permitted(c));
    const categories = [...fieldCategories(contracts, event.type, delivered.data)].sort();
    const grounds = [...new Set([...entitled, ...categories])].sort();
    const decisions = grounds.map((c) => entitlement.decisions[c]);
    const bases: Record<string, string> = {};
    for (const c of grounds) {
      const d = entitlement.decisions[c];
      if (d.permit) bases[c] = `${d.basis} (${d.rule}${d.consentId ? ` ${d.consentId}` : ''})`;
    }
    const legalBasis =
      BASIS_ORDER.find((b) =>
        substantive.some((c) => asLegalBasis(entitlement.decisions[c]) === b),
      ) ?? 'legal-duty';
    const consentRefs = [
      ...new Set(decisions.flatMap((d) => (d.permit && d.consentId ? [d.consentId] : []))),
    ].sort();
    for (const channel of channels) {
      deliveries.push({
        organisationId: partner.organisationId,
        channel,
        mode,
        data: delivered.data as Record<string, unknown>,
        categories,
        entitledCategories: [...entitled].sort(),
        legalBasis,
        consentRefs,
        bases,
      });
    }
  }
  return { deliveries, withheld };
}

/**
 * The categories of the fields present in a (filtered) payload: asks the filter which single
 * categories keep any field.
 */
function fieldCategories(contracts: ContractView, type: string, data: unknown): Set<DataCategory> {
  const out = new Set<DataCategory>();
  probe(contracts, type, data, out);
  return out;
}

function probe(contracts: ContractView, type: string, data: unknown, out: Set<DataCategory>): void {
  for (const c of DATA_CATEGORIES) {
    const only = contracts.filter(type, data, (x) => x === c);
    if (hasLeaf(only.data)) out.add(c);
  }
}

function hasLeaf(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.some(hasLeaf);
  if (typeof value === 'object') return Object.values(value).some(hasLeaf);
  return true;
}
