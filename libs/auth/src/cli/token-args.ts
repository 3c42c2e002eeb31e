import { parseArgs } from 'node:util';
import { loadAuthConfig } from '../auth-config';
import { isPrincipalKind, isRole, PRINCIPAL_KINDS, ROLES, type Role } from '../principal';
import { parseTtl } from './parse-ttl';

export const USAGE = `Usage: npm run token -- --org <org-id> --roles <role[,role...]> --sub <subject> [--ttl 1h | --expired] [--key-file <path>]
       npm run token -- --kind client|relative --trajectory <trajectory-id> --sub <subject> [--ttl 1h | --expired]
Kinds: ${PRINCIPAL_KINDS.join(', ')} (default organisation)
Roles: ${ROLES.join(', ')}
TTL: a positive number of seconds, or with s, m, h or d (default 1h); at most
AUTH_MAX_TOKEN_LIFETIME_SECONDS (default 12h), which the services enforce.
--expired: a token that expired an hour ago (beyond any clock tolerance), to test refusals.`;

/** How long ago an `--expired` token expired: well past the verifier's clock tolerance. */
export const EXPIRED_SECONDS_AGO = 3600;

export type TokenRequest =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly sub: string;
      readonly kind: 'organisation' | 'client' | 'relative';
      /** Organisation tokens only. */
      readonly org?: string;
      readonly roles?: Role[];
      /** Client and relative tokens only: the trajectory the token is bound to. */
      readonly trajectory?: string;
      /** Lifetime from now (positive), or an absolute expiry in the past for `--expired`. */
      readonly ttlSeconds?: number;
      readonly expiresAt?: Date;
      readonly keyFile?: string;
    };

/** The token command's arguments → what to mint, or the problems to print (exit 2). */
export function parseTokenArgs(
  args: string[],
  now = new Date(),
): { ok: true; request: TokenRequest } | { ok: false; problems: string[] } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        kind: { type: 'string', default: 'organisation' },
        org: { type: 'string' },
        trajectory: { type: 'string' },
        roles: { type: 'string', multiple: true },
        sub: { type: 'string' },
        ttl: { type: 'string' },
        expired: { type: 'boolean' },
        'key-file': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    // e.g. `--ttl -1h`: parseArgs reads -1h as an option.
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    const ttlNegative = args.some((a, i) => args[i - 1] === '--ttl' && a.startsWith('-'));
    return {
      ok: false,
      problems: [
        ttlNegative
          ? '--ttl must be positive (use --expired for an expired token)'
          : `invalid arguments: ${message}`,
      ],
    };
  }
  if (values.help) return { ok: true, request: { help: true } };
  const roles = (values.roles ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  const unknown = roles.filter((role) => !isRole(role));
  const ttlSeconds = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  const kind = values.kind ?? 'organisation';
  const organisation = kind === 'organisation';
  const cap = loadAuthConfig().maxTokenLifetimeSeconds;
  const problems = [
    !isPrincipalKind(kind) && `unknown kind: ${kind}`,
    organisation && !values.org && '--org is required',
    !values.sub && '--sub is required',
    organisation && roles.length === 0 && '--roles is required',
    organisation && values.trajectory && '--trajectory is only for client and relative tokens',
    !organisation && !values.trajectory && `--trajectory is required for a ${kind} token`,
    !organisation && (values.org || roles.length > 0) && `a ${kind} token has no --org or --roles`,
    ttlSeconds !== undefined &&
      ttlSeconds > cap &&
      `--ttl exceeds the token lifetime cap (${cap} s)`,
    unknown.length > 0 && `unknown role(s): ${unknown.join(', ')}`,
    values.ttl !== undefined && ttlSeconds === undefined && `invalid --ttl: ${values.ttl}`,
    ttlSeconds !== undefined &&
      ttlSeconds <= 0 &&
      `--ttl must be positive, got ${values.ttl} (use --expired for an expired token)`,
    values.expired && values.ttl !== undefined && '--ttl and --expired exclude each other',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    request: {
      help: false,
      sub: values.sub!,
      kind: kind as 'organisation' | 'client' | 'relative',
      ...(organisation
        ? { org: values.org!, roles: roles as Role[] }
        : { trajectory: values.trajectory! }),
      ...(values.expired
        ? { expiresAt: new Date(now.getTime() - EXPIRED_SECONDS_AGO * 1000) }
        : { ttlSeconds: ttlSeconds ?? 3600 }),
      ...(values['key-file'] ? { keyFile: values['key-file'] } : {}),
    },
  };
}
