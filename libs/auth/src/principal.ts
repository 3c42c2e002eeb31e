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
  /** Keeps the organisation registry (docs/adr/0019-authority-over-policy-inputs.md). */
  'registry-admin',
] as const;

export type Role = (typeof ROLES)[number];

/**
 * Who a token speaks for (`kind` claim; absent means `organisation`):
 * - `organisation`: a person or system acting for a chain organisation (`org`, `roles`);
 * - `client`: the client himself, reading his own trajectory (`trajectory`; no org, no roles);
 * - `relative`: a relative of the client, bound to one trajectory (`trajectory`; no org, no roles).
 */
export const PRINCIPAL_KINDS = ['organisation', 'client', 'relative'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** The authenticated caller, taken from a verified bearer token. */
export interface Principal {
  readonly kind: PrincipalKind;
  /** `sub` claim: the user or system account (for a client: a pseudonymous account id). */
  subject: string;
  /**
   * `org` claim: the organisation the caller acts for. Empty for `client` and `relative`
   * principals: they act for no organisation (never match it against a participation).
   */
  organisationId: string;
  /** `roles` claim: at least one known role; always empty for `client` and `relative`. */
  roles: Role[];
  /** `trajectory` claim: the one trajectory a `client` or `relative` token is bound to. */
  trajectoryId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPrincipalKind(value: unknown): value is PrincipalKind {
  return typeof value === 'string' && (PRINCIPAL_KINDS as readonly string[]).includes(value);
}

/** A client or relative: a natural person reading his (or his relative's) own trajectory. */
export function isDataSubjectSide(principal: Pick<Principal, 'kind'>): boolean {
  return principal.kind === 'client' || principal.kind === 'relative';
}
