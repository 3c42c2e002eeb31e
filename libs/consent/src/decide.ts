import { DATA_CATEGORIES, type DataCategory, isDataCategory } from '@ketenlink/contracts';
import { RELATIVES_WITHOUT_CONSENT, ROLE_DEFAULTS } from './role-defaults';
import type {
  ConsentRecipient,
  ConsentRecord,
  Decision,
  DecisionInput,
  Participation,
  PolicyInput,
  Recipient,
} from './types';

function validDate(d: Date | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** from <= at < until (until absent: open). */
export function isParticipating(p: Participation, at: Date): boolean {
  const t = at.getTime();
  if (!validDate(p.from) || p.from.getTime() > t) return false;
  if (p.until === undefined) return true;
  return validDate(p.until) && t < p.until.getTime();
}

/** validFrom <= at < validUntil and at < revokedAt (a withdrawal at t stops sharing at t). */
export function isConsentInForce(c: ConsentRecord, at: Date): boolean {
  const t = at.getTime();
  if (!validDate(c.validFrom) || c.validFrom.getTime() > t) return false;
  if (c.validUntil !== undefined && (!validDate(c.validUntil) || t >= c.validUntil.getTime())) {
    return false;
  }
  if (c.revokedAt !== undefined && (!validDate(c.revokedAt) || t >= c.revokedAt.getTime())) {
    return false;
  }
  return true;
}

/** Whether a consent record names this recipient. Only organisations and relatives can be named. */
export function recordNames(record: ConsentRecipient, recipient: Recipient): boolean {
  if (recipient.kind === 'organisation') {
    return record.kind === 'organisation' && record.id === recipient.id;
  }
  if (recipient.kind === 'class') {
    return record.kind === 'class' && record.id === recipient.id;
  }
  return false;
}

/** The title-based legal duty has ended at `at` (an invalid end date counts as ended). */
function dutyEnded(until: Date | undefined, at: Date): boolean {
  if (until === undefined) return false;
  return !validDate(until) || at.getTime() >= until.getTime();
}

function byConsent(input: DecisionInput): Decision | undefined {
  const { recipient, consents, at, category } = input;
  const match = consents
    .filter(
      (c) =>
        recordNames(c.recipient, recipient) &&
        c.categories.includes(category) &&
        isConsentInForce(c, at),
    )
    // Deterministic choice when several records cover the same category.
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
  if (!match) return undefined;
  return {
    permit: true,
    basis: match.legalBasis,
    consentId: match.id,
    rule: `consent-record:${match.legalBasis}`,
  };
}

/**
 * The one consent decision: may `category` go to `recipient` at instant `at`?
 *
 * - client: everything about his own trajectory (basis data-subject);
 * - operator: `metadata` only (basis operations), never client data;
 * - organisation: its role default while it participates (title-bound rows only until
 *   `legalDutyUntil`), plus explicit records in force;
 * - relatives: general information without consent, everything else only through explicit
 *   records for the class 'relatives' (R-CONSENT).
 */
export function decide(input: DecisionInput): Decision {
  const { recipient, participations, at, category, legalDutyUntil } = input;
  if (!isDataCategory(category))
    return { permit: false, reason: `unknown category ${String(category)}` };
  if (!validDate(at)) return { permit: false, reason: 'invalid decision time' };

  switch (recipient.kind) {
    case 'client':
      return { permit: true, basis: 'data-subject', rule: 'client-sees-own-trajectory' };
    case 'operator':
      return category === 'metadata'
        ? { permit: true, basis: 'operations', rule: 'operator-metadata-only' }
        : { permit: false, reason: 'operators never receive client data' };
    case 'organisation': {
      const defaults = participations
        .filter((p) => p.organisationId === recipient.id && isParticipating(p, at))
        .map((p) => ({ role: p.role, row: ROLE_DEFAULTS[p.role] }))
        .find(
          ({ row }) =>
            row !== undefined &&
            row.categories.includes(category) &&
            !(row.titleBound?.includes(category) && dutyEnded(legalDutyUntil, at)),
        );
      if (defaults) {
        return {
          permit: true,
          basis: defaults.row.basis,
          rule: `role-default:${defaults.role}`,
        };
      }
      return (
        byConsent(input) ?? {
          permit: false,
          reason: `no role default while participating and no consent record in force for ${category}`,
        }
      );
    }
    case 'class':
      if (RELATIVES_WITHOUT_CONSENT.includes(category)) {
        return {
          permit: true,
          basis: 'general-information',
          rule: 'relatives-general-information',
        };
      }
      return (
        byConsent(input) ?? {
          permit: false,
          reason: `relatives need a consent record in force for ${category}`,
        }
      );
    default:
      return { permit: false, reason: 'unknown recipient' };
  }
}

/** Every category's decision for one recipient at one instant. */
export function decideAll(input: PolicyInput): Record<DataCategory, Decision> {
  const out = {} as Record<DataCategory, Decision>;
  for (const category of DATA_CATEGORIES) out[category] = decide({ ...input, category });
  return out;
}

/** The categories the recipient may receive at `at`. */
export function permittedCategories(input: PolicyInput): ReadonlySet<DataCategory> {
  return new Set(DATA_CATEGORIES.filter((category) => decide({ ...input, category }).permit));
}
