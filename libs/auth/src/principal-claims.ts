import type { JWTPayload } from 'jose';
import { isRole, type Principal, type Role } from './principal';
import { TokenVerificationError } from './token-verification.error';

const MAX_CLAIM_LENGTH = 256;

/** Maps verified JWT claims (`sub`, `org`, `roles`) to a Principal, or refuses them. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, org, roles } = payload as JWTPayload & { org?: unknown; roles?: unknown };
  if (!isShortString(sub)) throw invalid('sub claim missing or invalid');
  if (!isShortString(org)) throw invalid('org claim missing or invalid');
  if (!Array.isArray(roles) || roles.length === 0) throw invalid('roles claim missing or empty');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw invalid('roles claim contains an unknown role');
  return { subject: sub, organisationId: org, roles: [...new Set(roles as Role[])] };
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_CLAIM_LENGTH;
}

function invalid(message: string): TokenVerificationError {
  return new TokenVerificationError('invalid_claims', message);
}
