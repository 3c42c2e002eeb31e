import { importJWK, SignJWT } from 'jose';
import { defaultDevKeyFile, loadAuthConfig } from './auth-config';
import { ensureDevKey } from './dev-key';
import type { PrincipalKind, Role } from './principal';

export interface MintDevTokenOptions {
  sub: string;
  /** Default `organisation`. A `client` or `relative` token is bound to `trajectory`. */
  kind?: PrincipalKind;
  /** Required for an organisation token; never set for a client or relative token. */
  org?: string;
  /** Required (non-empty) for an organisation token; never set for a client or relative token. */
  roles?: readonly Role[];
  /** The trajectory a client or relative token is bound to. */
  trajectory?: string;
  /** Lifetime in seconds from now; zero or negative gives an already expired token. Default 3600. */
  ttlSeconds?: number;
  /** Absolute expiry; wins over ttlSeconds. */
  expiresAt?: Date;
  /** Default: AUTH_LOCAL_KEY_FILE or `<repo>/.data/auth/dev-key.json`. Created when missing. */
  keyFile?: string;
  /** Default: AUTH_ISSUER or `ketenlink-local`. */
  issuer?: string;
  /** Default: AUTH_AUDIENCE or `ketenlink`. */
  audience?: string;
}

export const DEFAULT_DEV_TOKEN_TTL_SECONDS = 3600;

/**
 * Signs a token with the local development key, for the token command, tests
 * and seed scripts. Services running with AUTH_JWKS_URL will not accept it.
 */
export async function mintDevToken(options: MintDevTokenOptions): Promise<string> {
  const config = loadAuthConfig();
  const keyFile = options.keyFile || process.env.AUTH_LOCAL_KEY_FILE?.trim() || defaultDevKeyFile();
  const key = await ensureDevKey(keyFile);
  const privateKey = await importJWK(key.privateKey, key.alg);

  const now = Math.floor(Date.now() / 1000);
  const exp = options.expiresAt
    ? Math.floor(options.expiresAt.getTime() / 1000)
    : now + (options.ttlSeconds ?? DEFAULT_DEV_TOKEN_TTL_SECONDS);
  const iat = Math.min(now, exp - 1);

  const kind = options.kind ?? 'organisation';
  if (kind === 'organisation' && (!options.org || !options.roles?.length || options.trajectory)) {
    throw new Error('an organisation token needs org and roles, and no trajectory');
  }
  if (kind !== 'organisation' && (!options.trajectory || options.org || options.roles)) {
    throw new Error(`a ${kind} token needs a trajectory, and no org or roles`);
  }
  const claims =
    kind === 'organisation'
      ? { org: options.org, roles: [...(options.roles ?? [])] }
      : { kind, trajectory: options.trajectory };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(options.issuer ?? config.issuer)
    .setAudience(options.audience ?? config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(privateKey);
}
