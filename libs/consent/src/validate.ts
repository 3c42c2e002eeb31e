import { isDataCategory } from '@ketenlink/contracts';
import type { ConsentRecord } from './types';

const LEGAL_BASES: ReadonlySet<string> = new Set(['consent', 'legal-duty', 'covenant']);

function validDate(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** [validFrom, min(validUntil, revokedAt)) in ms; end Infinity when open. */
function effectiveSpan(c: ConsentRecord): [number, number] {
  const ends = [c.validUntil, c.revokedAt].filter(validDate).map((d) => d.getTime());
  return [c.validFrom.getTime(), ends.length ? Math.min(...ends) : Infinity];
}

function sameRecipient(a: ConsentRecord, b: ConsentRecord): boolean {
  return a.recipient.kind === b.recipient.kind && a.recipient.id === b.recipient.id;
}

/**
 * Errors that make a consent record unacceptable (empty list: acceptable). `existing` is the
 * trajectory's other records; a record with the same id is treated as the one being replaced.
 */
export function validateConsent(
  record: ConsentRecord,
  existing: readonly ConsentRecord[],
): string[] {
  const errors: string[] = [];
  if (!record.id) errors.push('id is empty');
  const r = record.recipient as { kind?: unknown; id?: unknown } | undefined;
  if (
    !r ||
    !(
      (r.kind === 'organisation' && typeof r.id === 'string' && r.id !== '') ||
      (r.kind === 'class' && r.id === 'relatives')
    )
  ) {
    errors.push('recipient must be an organisation with an id or the class relatives');
  }
  if (!Array.isArray(record.categories) || record.categories.length === 0) {
    errors.push('categories is empty');
  } else {
    const seen = new Set<string>();
    for (const c of record.categories) {
      if (!isDataCategory(c)) errors.push(`unknown category ${String(c)}`);
      else if (seen.has(c)) errors.push(`category ${c} listed twice`);
      seen.add(c);
    }
  }
  if (typeof record.purpose !== 'string' || record.purpose.trim() === '')
    errors.push('purpose is empty');
  if (!LEGAL_BASES.has(record.legalBasis))
    errors.push(`unknown legal basis ${String(record.legalBasis)}`);

  const datesOk =
    validDate(record.validFrom) &&
    (record.validUntil === undefined || validDate(record.validUntil)) &&
    (record.revokedAt === undefined || validDate(record.revokedAt));
  if (!datesOk) {
    errors.push('validFrom, validUntil and revokedAt must be valid dates');
    return errors;
  }
  if (
    record.validUntil !== undefined &&
    record.validUntil.getTime() <= record.validFrom.getTime()
  ) {
    errors.push('validUntil must be after validFrom');
    return errors;
  }
  if (errors.length > 0 || !Array.isArray(record.categories)) return errors;

  const [from, until] = effectiveSpan(record);
  if (from >= until) return errors; // revoked before it began: grants nothing, conflicts with nothing
  for (const other of existing) {
    if (other.id === record.id || !sameRecipient(record, other) || !validDate(other.validFrom))
      continue;
    const [oFrom, oUntil] = effectiveSpan(other);
    if (!(from < oUntil && oFrom < until)) continue;
    for (const c of record.categories) {
      if (other.categories.includes(c)) {
        errors.push(
          `overlaps record ${other.id} for the same recipient and category ${c} (${other.legalBasis})`,
        );
      }
    }
  }
  return errors;
}
