// Development token command:
//   npm run token -- --org org-reclassering --roles probation-officer --sub alice [--ttl 1h]
// Prints only the JWT on stdout, so `TOKEN=$(npm run -s token -- ...)` works.
import { parseArgs } from 'node:util';
import { mintDevToken } from '../mint-dev-token';
import { isRole, ROLES, type Role } from '../principal';
import { parseTtl } from './parse-ttl';

const USAGE = `Usage: npm run token -- --org <org-id> --roles <role[,role...]> --sub <subject> [--ttl 1h] [--key-file <path>]
Roles: ${ROLES.join(', ')}
TTL: seconds, or a number with s, m, h or d (default 1h; 0 or negative gives an expired token).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      roles: { type: 'string', multiple: true },
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
  const roles = (values.roles ?? []).flatMap((r) => r.split(',')).map((r) => r.trim());
  const unknown = roles.filter((role) => !isRole(role));
  const ttlSeconds = parseTtl(values.ttl);
  const problems = [
    !values.org && '--org is required',
    !values.sub && '--sub is required',
    roles.length === 0 && '--roles is required',
    unknown.length > 0 && `unknown role(s): ${unknown.join(', ')}`,
    ttlSeconds === undefined && `invalid --ttl: ${values.ttl}`,
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
    org: values.org as string,
    roles: roles as Role[],
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
