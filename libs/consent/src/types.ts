import {
  type DataCategory,
  PARTICIPATION_ROLES,
  type ParticipationRole,
} from '@ketenlink/contracts';

/** The roles an organisation can have on a trajectory. */
export const PARTICIPANT_ROLES = PARTICIPATION_ROLES;

export type ParticipantRole = ParticipationRole;

/** An organisation takes part in a trajectory in one role over [from, until). */
export interface Participation {
  organisationId: string;
  role: ParticipantRole;
  from: Date;
  /** Exclusive end; absent while the participation is open. */
  until?: Date;
}

/** Who a consent record can name: one organisation, or the class of the client's relatives. */
export type ConsentRecipient =
  { kind: 'organisation'; id: string } | { kind: 'class'; id: 'relatives' };

export type ConsentLegalBasis = 'consent' | 'legal-duty' | 'covenant';

/**
 * An explicit grant of categories to one recipient for a purpose, valid over
 * [validFrom, validUntil) and ending at once at `revokedAt` (withdrawal).
 */
export interface ConsentRecord {
  id: string;
  recipient: ConsentRecipient;
  categories: DataCategory[];
  purpose: string;
  legalBasis: ConsentLegalBasis;
  validFrom: Date;
  /** Exclusive end; absent for an open-ended record. */
  validUntil?: Date;
  /** Withdrawal: from this instant on (inclusive) the record grants nothing. */
  revokedAt?: Date;
}

/** Whoever data would go to. */
export type Recipient =
  | { kind: 'organisation'; id: string }
  | { kind: 'class'; id: 'relatives' }
  | { kind: 'client' }
  | { kind: 'operator' };

export type DisclosureBasis =
  | 'legal-duty'
  | 'consent'
  | 'covenant'
  | 'data-subject'
  | 'operations'
  /** R-CONSENT: relatives receive general information without consent. */
  | 'general-information';

export type Decision =
  | { permit: true; basis: DisclosureBasis; consentId?: string; rule: string }
  | { permit: false; reason: string };

/** Everything `decide` needs; `at` is the instant of disclosure (normally now). */
export interface PolicyInput {
  recipient: Recipient;
  participations: readonly Participation[];
  consents: readonly ConsentRecord[];
  at: Date;
  /**
   * R-TITLE-END: the instant the legal titles of the trajectory ended (exclusive), when all of
   * them have ended; absent while a title is in force or none is recorded. From then on the
   * title-bound defaults (ROLE_DEFAULTS[role].titleBound, i.e. probation's supervision duty) no
   * longer apply, even while the organisation still participates. What was shared before stays
   * shared (no retraction): the end of a duty is not a withdrawal of consent.
   */
  legalDutyUntil?: Date;
}

export interface DecisionInput extends PolicyInput {
  category: DataCategory;
}
