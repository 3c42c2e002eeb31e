// Development token command:
//   npm run token -- --org org-reclassering --roles probation-officer --sub alice [--ttl 1h]
//   npm run token -- --org org-x --roles operator --sub bob --expired   (expired an hour ago)
//   npm run token -- --kind client --trajectory <uuid> --sub client-1     (the client himself)
//   npm run token -- --kind relative --trajectory <uuid> --sub mother-1   (a relative)
// Prints only the JWT on stdout, so `TOKEN=$(npm run -s token -- ...)` works.
import { mintDevToken } from '../mint-dev-token';
import { parseTokenArgs, USAGE } from './token-args';

async function main(): Promise<number> {
  const parsed = parseTokenArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.problems.join('\n')}\n\n${USAGE}\n`);
    return 2;
  }
  const { request } = parsed;
  if (request.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  if (process.env.AUTH_JWKS_URL) {
    process.stderr.write('warning: AUTH_JWKS_URL is set; services will not accept dev tokens\n');
  }
  const token = await mintDevToken(request);
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
