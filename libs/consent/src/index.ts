/**
 * @ketenlink/consent: the one consent policy of Ketenlink (libs/consent/README.md).
 * Pure: no framework, no I/O, no clock; callers pass the instant of disclosure.
 */
export {
  decide,
  decideAll,
  isConsentInForce,
  isParticipating,
  permittedCategories,
  recordNames,
} from './decide';
export { legalDutyUntilOf } from './legal-duty';
export { RELATIVES_WITHOUT_CONSENT, ROLE_DEFAULTS, type RoleDefault } from './role-defaults';
export {
  type ConsentLegalBasis,
  type ConsentRecipient,
  type ConsentRecord,
  type Decision,
  type DecisionInput,
  type DisclosureBasis,
  PARTICIPANT_ROLES,
  type ParticipantRole,
  type Participation,
  type PolicyInput,
  type Recipient,
} from './types';
export { validateConsent } from './validate';
