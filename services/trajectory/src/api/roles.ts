import type { Role } from '@ketenlink/auth';

/** Who may read a trajectory at all (the policy then decides what). */
export const READER_ROLES = [
  'referrer',
  'coordinator',
  'zvh-coordinator',
  'support-worker',
  'placement-officer',
  'probation-officer',
  'operator',
] as const satisfies readonly Role[];

/** Who may change participants, titles and consent records of a trajectory they take part in. */
export const CASE_MANAGER_ROLES = [
  'coordinator',
  'zvh-coordinator',
  'probation-officer',
] as const satisfies readonly Role[];
