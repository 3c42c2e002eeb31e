import type { DataCategory } from '@ketenlink/contracts';
import type { ParticipantRole } from './types';

/** One row of the role-default table: what a role gets while it participates, and why. */
export interface RoleDefault {
  /** Recorded with every disclosure made under this row. */
  basis: 'legal-duty' | 'covenant';
  /** The legal ground in plain words. */
  ground: string;
  categories: readonly DataCategory[];
  /**
   * The categories that rest on a legal title and end with it (PolicyInput.legalDutyUntil),
   * while the organisation still participates (R-TITLE-END).
   */
  titleBound?: readonly DataCategory[];
}

/**
 * What each role receives without any consent record, while (and only while) the
 * organisation participates in the trajectory. `identity` is never a default: identity goes
 * only where an explicit record sends it. Anything beyond these rows needs a consent record.
 * The parties that act on sharing agreements (provider, probation, ZVH) see the consent records
 * themselves (`consent`), so that "who may see what" is known to them (R-CONSENT).
 */
export const ROLE_DEFAULTS: Readonly<Record<ParticipantRole, RoleDefault>> = {
  // Supervision of special conditions under criminal law: the officer needs the title and
  // its conditions, violations/notifications, the risk picture and who else takes part.
  probation: {
    basis: 'legal-duty',
    ground: 'supervision of conditions (criminal law)',
    categories: [
      'title-and-conditions',
      'incidents-and-violations',
      'risk',
      'participation',
      'general-information',
      'consent',
      'metadata',
    ],
    // Supervision exists only while a title does: when the last title ends, only knowing who
    // takes part (to wind down) remains, until the case lead ends the participation.
    titleBound: ['title-and-conditions', 'incidents-and-violations', 'risk', 'consent'],
  },
  // Forensic care act (Wfz): the provider gets what the placement needs to run safely.
  provider: {
    basis: 'legal-duty',
    ground: 'forensic care act (Wfz): what the placement needs',
    categories: [
      'title-and-conditions',
      'risk',
      'plan-and-goals',
      'medical',
      'contact-and-logistics',
      'participation',
      'general-information',
      'consent',
      'metadata',
    ],
  },
  // A provider that is to receive the client: only that it takes part; the handover
  // package itself travels under consent or an explicit handover record.
  'receiving-provider': {
    basis: 'legal-duty',
    ground: 'forensic care act (Wfz): party to a pending handover',
    categories: ['participation', 'general-information', 'metadata'],
  },
  // ZVH case meetings run under a covenant; what the covenant names beyond this is recorded
  // as explicit records with legal basis 'covenant'.
  zvh: {
    basis: 'covenant',
    ground: 'ZVH covenant (case meetings); more only via explicit covenant records',
    categories: ['participation', 'general-information', 'consent', 'metadata'],
  },
  // The referrer learns how its referral goes (who takes part), nothing more.
  referrer: {
    basis: 'legal-duty',
    ground: 'referral: follow-up of the placement request',
    categories: ['participation', 'general-information', 'metadata'],
  },
};

/**
 * R-CONSENT: what relatives receive without the client's consent: general information (and the
 * technical metadata needed to show it). Problem and treatment categories need a record.
 */
export const RELATIVES_WITHOUT_CONSENT: readonly DataCategory[] = [
  'general-information',
  'metadata',
];
