import type { JWTPayload } from 'jose';
import { isPrincipalKind, isRole, type Principal, type Role } from './principal';
import { TokenVerificationError } from './token-verification.error';

const MAX_CLAIM_LENGTH = 256;
const TRAJECTORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Claims = JWTPayload & { org?: unknown; roles?: unknown; kind?: unknown; trajectory?: unknown };

/**
 * Maps verified JWT claims to a Principal, or refuses them.
 * Organisation tokens: `sub`, `org`, `roles` (`kind` absent or `organisation`).
 * Client and relative tokens: `sub`, `kind` (`client`|`relative`), `trajectory` (a uuid);
 * they must carry neither `org` nor `roles`, so they can never pass a role check.
 */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, org, roles, kind = 'organisation', trajectory } = payload as Claims;
  if (!isShortString(sub)) throw invalid('sub claim missing or invalid');
  if (!isPrincipalKind(kind)) throw invalid('kind claim unknown');
  if (kind !== 'organisation') {
    if (org !== undefined || roles !== undefined) {
      throw invalid(`a ${kind} token carries no org or roles claim`);
    }
    if (typeof trajectory !== 'string' || !TRAJECTORY_ID.test(trajectory)) {
      throw invalid('trajectory claim missing or invalid');
    }
    return { kind, subject: sub, organisationId: '', roles: [], trajectoryId: trajectory };
  }
  if (trajectory !== undefined) throw invalid('an organisation token carries no trajectory claim');
  if (!isShortString(org)) throw invalid('org claim missing or invalid');
  if (!Array.isArray(roles) || roles.length === 0) throw invalid('roles claim missing or empty');
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw invalid('roles claim contains an unknown role');
  return {
    kind: 'organisation',
    subject: sub,
    organisationId: org,
    roles: [...new Set(roles as Role[])],
  };
}

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= MAX_CLAIM_LENGTH;
}

function invalid(message: string): TokenVerificationError {
  return new TokenVerificationError('invalid_claims', message);
}
