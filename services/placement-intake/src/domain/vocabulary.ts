/**
 * The fixed word lists of placement intake (DOMAIN.md R-REFUSAL, R-LOCATION, R-RISK). They mirror
 * the enums of the event contracts in contracts/events/placement.* and must stay in step with them.
 */
export const REFERRER_KINDS = ['pi-case-manager', 'probation', 'clinic', 'zvh'] as const;
export type ReferrerKind = (typeof REFERRER_KINDS)[number];

export { TITLE_KINDS, type TitleKind } from '@ketenlink/contracts';

export const OFFENCE_CATEGORIES = [
  'violence',
  'sexual',
  'sexual-against-minors',
  'arson',
  'property',
  'drugs',
  'domestic-violence',
  'stalking',
  'other',
] as const;
export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

export const NEEDS = [
  'housing',
  'lvb-support',
  'addiction-care',
  'psychiatric-care',
  'daytime-activities',
  'debt-support',
  'medication-management',
] as const;
export type Need = (typeof NEEDS)[number];

export const URGENCIES = ['regular', 'urgent', 'crisis'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** R-REFUSAL: a refusal always carries one of these; `other` needs a text. */
export const REFUSAL_REASONS = [
  'title-too-short',
  'neighbourhood-history',
  'offence-incompatible-with-location',
  'active-use-vs-abstinent-location',
  'risk-to-co-residents',
  'no-capacity',
  'other',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** R-LOCATION profile. */
export const FORENSIC_MIXES = ['clustered', 'spread'] as const;
export type ForensicMix = (typeof FORENSIC_MIXES)[number];
export const SUBSTANCE_POLICIES = ['abstinent', 'use-tolerated'] as const;
export type SubstancePolicy = (typeof SUBSTANCE_POLICIES)[number];
export const EXPERTISES = ['lvb', 'addiction', 'psychiatry'] as const;
export type Expertise = (typeof EXPERTISES)[number];

/** R-RISK: instruments a risk assessment can be made with. */
export const RISK_INSTRUMENTS = ['RISc', 'FARE', 'B-SAFER', 'HKT-R', 'ERM', 'own'] as const;
export type RiskInstrument = (typeof RISK_INSTRUMENTS)[number];

/** The documents a complete placement file holds (R-IFZO-5D: incomplete → 10 working days). */
export const DOCUMENT_KINDS = ['probation-advice', 'risk-assessment', 'placement-letter'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
