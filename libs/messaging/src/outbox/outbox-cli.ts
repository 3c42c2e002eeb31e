/**
 * Parked outbox rows for operators (docs/adr/0012-outbox-leases-and-parking.md), per service
 * database. Prints ids, types, keys, errors and attempts: never a payload.
 *
 *   npm run outbox -- list-parked --service trajectory
 *   npm run outbox -- retry <seq> [<seq> …] --service trajectory
 *   npm run outbox -- retry-all --service placement-intake
 *
 * The database is the service's (`DATABASE_URL` or `PG_BASE_URL` + ketenlink_<service>, as the
 * service itself resolves it), or `--database-url <url>`.
 */
import { Client } from 'pg';
import { databaseUrlFor } from '@ketenlink/persistence';
import { listParked, retryParked } from './parked-rows';

const USAGE =
  'usage: npm run outbox -- list-parked | retry <seq>... | retry-all  --service <trajectory|placement-intake> [--database-url <url>]';

export interface CliArgs {
  readonly command: string | undefined;
  readonly seqs: string[];
  readonly service: string | undefined;
  readonly databaseUrl: string | undefined;
}

export function parseArgs(argv: readonly string[]): CliArgs {
  const rest: string[] = [];
  let service: string | undefined;
  let databaseUrl: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--service') service = argv[++i];
    else if (a.startsWith('--service=')) service = a.slice('--service='.length);
    else if (a === '--database-url') databaseUrl = argv[++i];
    else if (a.startsWith('--database-url=')) databaseUrl = a.slice('--database-url='.length);
    else rest.push(a);
  }
  const [command, ...seqs] = rest;
  return { command, seqs, service, databaseUrl };
}

/** What is wrong with the arguments (usage text), or undefined when they are fine. */
export function invalidArgs(args: CliArgs): string | undefined {
  const validSeqs = args.seqs.every((s) => /^\d{1,19}$/.test(s));
  const known =
    (args.command === 'list-parked' && args.seqs.length === 0) ||
    (args.command === 'retry' && args.seqs.length > 0 && validSeqs) ||
    (args.command === 'retry-all' && args.seqs.length === 0);
  if (!known || (!args.service && !args.databaseUrl)) return USAGE;
  if (args.service !== undefined && !/^[a-z][a-z0-9-]{0,62}$/.test(args.service)) {
    return `invalid --service "${args.service}"`;
  }
  return undefined;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const problem = invalidArgs(args);
  if (problem) {
    console.error(problem);
    return 2;
  }
  const url = args.databaseUrl ?? databaseUrlFor(args.service!);
  const db = new Client({ connectionString: url, application_name: 'ketenlink-outbox-cli' });
  await db.connect();
  try {
    if (args.command === 'list-parked') {
      const rows = await listParked(db);
      for (const r of rows) console.log(JSON.stringify(r));
      console.error(`${rows.length} parked outbox row(s)`);
    } else {
      const retried = await retryParked(db, args.command === 'retry-all' ? 'all' : args.seqs);
      for (const seq of retried) console.log(JSON.stringify({ retried: seq }));
      console.error(`${retried.length} row(s) un-parked; the relay sends them again`);
      if (args.command === 'retry' && retried.length < args.seqs.length) {
        const missing = args.seqs.filter((s) => !retried.includes(s));
        console.error(`not parked (or unknown, or already published): ${missing.join(', ')}`);
        return 1;
      }
    }
    return 0;
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  void main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
