import { importJWK, SignJWT } from 'jose';
import { defaultDevKeyFile, loadAuthConfig } from './auth-config';
import { ensureDevKey } from './dev-key';
import type { Role } from './principal';

export interface MintDevTokenOptions {
  sub: string;
  org: string;
  roles: readonly Role[];
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

  return new SignJWT({ org: options.org, roles: [...options.roles] })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(options.sub)
    .setIssuer(options.issuer ?? config.issuer)
    .setAudience(options.audience ?? config.audience)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(privateKey);
}
