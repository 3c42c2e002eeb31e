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
  /**
   * General information (R-CONSENT): what relatives get without the client's consent, e.g. who
   * the client's first point of contact (case lead) is. Never problem or treatment information
   * (title, risk, plan, medical, incidents): those reach relatives only with consent.
   */
  'general-information',
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

/**
 * The problem/treatment categories of R-CONSENT: relatives receive them only with the client's
 * consent. Everything a relative receives without consent is `general-information`.
 */
export const PROBLEM_AND_TREATMENT_CATEGORIES = [
  'title-and-conditions',
  'risk',
  'plan-and-goals',
  'medical',
  'incidents-and-violations',
] as const satisfies readonly DataCategory[];
