/**
 * Word lists that several services and several event schemas share. The schemas stay the
 * source of truth for what goes on the wire; `vocabulary.spec.ts` keeps these lists equal to
 * every schema enum that uses them.
 */

/** Kinds of legal title (DOMAIN.md §1): `title.registered.kind`, `placement.requested.titleKind`. */
export const TITLE_KINDS = [
  'special-conditions-suspended-sentence',
  'conditional-release',
  'penitentiary-programme',
  'tbs-with-conditions',
  'forensic-care-as-condition',
  'other',
] as const;
export type TitleKind = (typeof TITLE_KINDS)[number];

/**
 * Roles an organisation can have on a trajectory (`trajectory.participant-joined.role`; the
 * consent policy's ParticipantRole). Also the values of a schema's `x-mandatory-for`.
 */
export const PARTICIPATION_ROLES = [
  'provider',
  'probation',
  'zvh',
  'referrer',
  'receiving-provider',
] as const;
export type ParticipationRole = (typeof PARTICIPATION_ROLES)[number];
