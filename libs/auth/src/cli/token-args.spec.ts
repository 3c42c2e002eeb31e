import { decodeJwt } from 'jose';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mintDevToken } from '../mint-dev-token';
import { EXPIRED_SECONDS_AGO, parseTokenArgs } from './token-args';

const base = ['--org', 'org-x', '--roles', 'operator', '--sub', 'alice'];

describe('npm run token: arguments', () => {
  it.each([
    [['--ttl', '0'], '--ttl must be positive, got 0'],
    [['--ttl=-1h'], '--ttl must be positive, got -1h'],
    [['--ttl', '-1h'], '--ttl must be positive'],
    [['--ttl', 'soon'], 'invalid --ttl: soon'],
    [['--ttl', '1h', '--expired'], 'exclude each other'],
  ])('refuses %p with a clear message', (extra, message) => {
    const r = parseTokenArgs([...base, ...extra]);
    expect(r).toEqual({ ok: false, problems: [expect.stringContaining(message)] });
  });

  it('takes a positive ttl, 1h by default', () => {
    expect(parseTokenArgs([...base, '--ttl', '30m'])).toMatchObject({
      ok: true,
      request: { ttlSeconds: 1800 },
    });
    expect(parseTokenArgs(base)).toMatchObject({ ok: true, request: { ttlSeconds: 3600 } });
  });

  it('--expired mints a token that expired an hour ago, refused beyond clock tolerance', async () => {
    const now = new Date();
    const r = parseTokenArgs([...base, '--expired'], now);
    if (!r.ok || r.request.help) throw new Error('expected a request');
    const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'token-')), 'dev-key.json');
    const claims = decodeJwt(await mintDevToken({ ...r.request, keyFile }));
    expect(claims.exp).toBe(Math.floor(now.getTime() / 1000) - EXPIRED_SECONDS_AGO);
    expect(claims.iat!).toBeLessThan(claims.exp!);
  });
});
