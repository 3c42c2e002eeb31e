/** Every role the platform knows. A token carrying any other role is rejected. */
export const ROLES = [
  'coordinator',
  'support-worker',
  'placement-officer',
  'probation-officer',
  'zvh-coordinator',
  'referrer',
  'operator',
  'auditor',
  'partner-system',
] as const;

export type Role = (typeof ROLES)[number];

/** The authenticated caller, taken from a verified bearer token. */
export interface Principal {
  /** `sub` claim: the user or system account. */
  subject: string;
  /** `org` claim: the organisation the caller acts for. */
  organisationId: string;
  /** `roles` claim: at least one known role. */
  roles: Role[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
