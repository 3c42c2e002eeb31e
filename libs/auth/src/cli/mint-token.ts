// Development token command:
//   npm run token -- --org org-reclassering --roles probation-officer --sub alice [--ttl 1h]
//   npm run token -- --kind client --trajectory <uuid> --sub client-1     (the client himself)
//   npm run token -- --kind relative --trajectory <uuid> --sub mother-1   (a relative)
// Prints only the JWT on stdout, so `TOKEN=$(npm run -s token -- ...)` works.
import { parseArgs } from 'node:util';
import { loadAuthConfig } from '../auth-config';
import { mintDevToken } from '../mint-dev-token';
import { isPrincipalKind, isRole, PRINCIPAL_KINDS, ROLES, type Role } from '../principal';
import { parseTtl } from './parse-ttl';

const USAGE = `Usage: npm run token -- --org <org-id> --roles <role[,role...]> --sub <subject> [--ttl 1h] [--key-file <path>]
       npm run token -- --kind client|relative --trajectory <trajectory-id> --sub <subject> [--ttl 1h]
Kinds: ${PRINCIPAL_KINDS.join(', ')} (default organisation)
Roles: ${ROLES.join(', ')}
TTL: seconds, or a number with s, m, h or d (default 1h; 0 or negative gives an expired token;
at most AUTH_MAX_TOKEN_LIFETIME_SECONDS, default 12h, which the services enforce).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'organisation' },
      org: { type: 'string' },
      roles: { type: 'string', multiple: true },
      trajectory: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
      'key-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const kind = values.kind;
  const organisation = kind === 'organisation';
  const roles = (values.roles ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  const unknown = roles.filter((role) => !isRole(role));
  const ttlSeconds = parseTtl(values.ttl);
  const cap = loadAuthConfig().maxTokenLifetimeSeconds;
  const problems = [
    !isPrincipalKind(kind) && `unknown kind: ${kind}`,
    organisation && !values.org && '--org is required',
    organisation && roles.length === 0 && '--roles is required',
    organisation && values.trajectory && '--trajectory is only for client and relative tokens',
    !organisation && !values.trajectory && `--trajectory is required for a ${kind} token`,
    !organisation && (values.org || roles.length > 0) && `a ${kind} token has no --org or --roles`,
    !values.sub && '--sub is required',
    unknown.length > 0 && `unknown role(s): ${unknown.join(', ')}`,
    ttlSeconds === undefined && `invalid --ttl: ${values.ttl}`,
    ttlSeconds !== undefined &&
      ttlSeconds > cap &&
      `--ttl exceeds the token lifetime cap (${cap} s)`,
  ].filter(Boolean);
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n\n${USAGE}\n`);
    return 2;
  }
  if (process.env.AUTH_JWKS_URL) {
    process.stderr.write('warning: AUTH_JWKS_URL is set; services will not accept dev tokens\n');
  }
  const token = await mintDevToken({
    sub: values.sub as string,
    ...(organisation
      ? { org: values.org as string, roles: roles as Role[] }
      : { kind: kind as 'client' | 'relative', trajectory: values.trajectory as string }),
    ttlSeconds,
    keyFile: values['key-file'],
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
