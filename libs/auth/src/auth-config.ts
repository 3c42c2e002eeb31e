import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Where verification keys come from: a remote JWKS (production) or the local
 * development key file written by the mint command.
 */
export type AuthKeySource = { kind: 'jwks'; url: string } | { kind: 'local'; keyFile: string };

export interface AuthConfig {
  issuer: string;
  audience: string;
  keySource: AuthKeySource;
  /** JWS algorithms accepted; anything else (including `none` and HS*) is refused. */
  algorithms: string[];
  /** Allowed clock skew for `exp` / `nbf` / `iat`, in seconds. */
  clockToleranceSeconds: number;
  /**
   * Longest lifetime (`exp - iat`) a token may have, in seconds; a longer-lived token is
   * refused even while it is unexpired, and a token is refused once `iat` lies further back.
   */
  maxTokenLifetimeSeconds: number;
}

export const DEFAULT_ISSUER = 'ketenlink-local';
export const DEFAULT_AUDIENCE = 'ketenlink';
// Asymmetric only: HS* would let anyone holding a verification secret mint tokens.
export const DEFAULT_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'RS256', 'PS256'];
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
/** Twelve hours: a working day plus margin (issue 10, finding 8). */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;

/**
 * Reads the auth configuration from the environment:
 * AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL or AUTH_LOCAL_KEY_FILE,
 * AUTH_ALGORITHMS (comma separated), AUTH_CLOCK_TOLERANCE_SECONDS,
 * AUTH_MAX_TOKEN_LIFETIME_SECONDS (default 43200 = 12 h).
 */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const jwksUrl = env.AUTH_JWKS_URL?.trim();
  if (jwksUrl) new URL(jwksUrl); // fail fast on a malformed URL
  const tolerance = Number(env.AUTH_CLOCK_TOLERANCE_SECONDS ?? DEFAULT_CLOCK_TOLERANCE_SECONDS);
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance > 300) {
    throw new Error('AUTH_CLOCK_TOLERANCE_SECONDS must be between 0 and 300');
  }
  const maxLifetime = Number(
    env.AUTH_MAX_TOKEN_LIFETIME_SECONDS ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  );
  if (!Number.isInteger(maxLifetime) || maxLifetime < 60 || maxLifetime > 7 * 86400) {
    throw new Error('AUTH_MAX_TOKEN_LIFETIME_SECONDS must be a whole number from 60 to 604800');
  }
  const algorithms = (env.AUTH_ALGORITHMS ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return {
    issuer: env.AUTH_ISSUER?.trim() || DEFAULT_ISSUER,
    audience: env.AUTH_AUDIENCE?.trim() || DEFAULT_AUDIENCE,
    keySource: jwksUrl
      ? { kind: 'jwks', url: jwksUrl }
      : { kind: 'local', keyFile: env.AUTH_LOCAL_KEY_FILE?.trim() || defaultDevKeyFile() },
    algorithms: algorithms.length > 0 ? algorithms : [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: tolerance,
    maxTokenLifetimeSeconds: maxLifetime,
  };
}

/** `<repo>/.data/auth/dev-key.json`, the repository root being the nearest folder with nx.json. */
export function defaultDevKeyFile(): string {
  return join(findRepoRoot(), '.data', 'auth', 'dev-key.json');
}

function findRepoRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'nx.json'))) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}
