/**
 * Data categories: every field of every event payload carries one (`x-data-category` in its
 * schema). The consent policy decides per recipient which categories it may receive;
 * `filterPayload` applies that decision field by field.
 */
export const DATA_CATEGORIES = [
  /** BSN, name, date of birth: never in events (only the trajectory id is). */
  'identity',
  /** Legal title, its period and its special conditions. */
  'title-and-conditions',
  /** Risk assessments and risk signals. */
  'risk',
  /** Treatment/support plan, goals, life areas. */
  'plan-and-goals',
  /** Medical and medication data. */
  'medical',
  /** Incidents, violations of conditions, notifications (meldingen). */
  'incidents-and-violations',
  /** Addresses, regions, appointments, contact persons. */
  'contact-and-logistics',
  /** Who takes part: organisations, roles, periods. */
  'participation',
  /** Consent records themselves. */
  'consent',
  /** Non-personal technical fields: ids of the trajectory itself, timestamps of the record. */
  'metadata',
] as const;

export type DataCategory = (typeof DATA_CATEGORIES)[number];

const CATEGORY_SET: ReadonlySet<string> = new Set(DATA_CATEGORIES);

export function isDataCategory(value: unknown): value is DataCategory {
  return typeof value === 'string' && CATEGORY_SET.has(value);
}
