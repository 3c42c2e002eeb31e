import { invalidArgs, parseArgs } from './outbox-cli';

describe('outbox operator tool arguments', () => {
  const check = (argv: string[]) => invalidArgs(parseArgs(argv));

  it('accepts the three commands for a service database', () => {
    expect(check(['list-parked', '--service', 'trajectory'])).toBeUndefined();
    expect(check(['retry', '12', '40', '--service=placement-intake'])).toBeUndefined();
    expect(check(['retry-all', '--database-url', 'postgres://x@h/db'])).toBeUndefined();
    expect(parseArgs(['retry', '7', '--service', 'trajectory'])).toEqual({
      command: 'retry',
      seqs: ['7'],
      service: 'trajectory',
      databaseUrl: undefined,
    });
  });

  it('refuses unknown commands, bad seqs, a missing database and odd service names', () => {
    expect(check(['drop', '--service', 'trajectory'])).toMatch(/usage/);
    expect(check(['retry', '--service', 'trajectory'])).toMatch(/usage/);
    expect(check(['retry', 'x; DROP TABLE outbox', '--service', 'trajectory'])).toMatch(/usage/);
    expect(check(['retry', '1e3', '--service', 'trajectory'])).toMatch(/usage/);
    expect(check(['list-parked'])).toMatch(/usage/);
    expect(check(['list-parked', 'extra', '--service', 'trajectory'])).toMatch(/usage/);
    expect(check(['list-parked', '--service', '../etc'])).toMatch(/invalid --service/);
  });
});
