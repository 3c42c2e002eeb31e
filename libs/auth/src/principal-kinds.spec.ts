import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { loadAuthConfig } from './auth-config';
import { ensureDevKey } from './dev-key';
import { mintDevToken } from './mint-dev-token';
import { TokenVerificationError } from './token-verification.error';
import { TokenVerifier } from './token-verifier';

const TRAJECTORY = '0b3f8a52-4c1e-4f0e-9d7a-2c5b6e1f9a01';

describe('principal kinds and the token lifetime cap (issue 10, findings 8 and 9)', () => {
  let dir: string;
  let keyFile: string;
  let verifier: TokenVerifier;

  const sign = async (claims: JWTPayload, iat: number, exp: number) => {
    const key = await ensureDevKey(keyFile);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer('ketenlink-local')
      .setAudience('ketenlink')
      .setSubject('s')
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(await importJWK(key.privateKey, key.alg));
  };
  const reason = (token: string) =>
    verifier.verify(token).then(
      () => 'accepted',
      (e: unknown) => (e instanceof TokenVerificationError ? e.reason : String(e)),
    );
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ketenlink-kinds-'));
    keyFile = join(dir, 'dev-key.json');
    verifier = new TokenVerifier(
      loadAuthConfig({ AUTH_LOCAL_KEY_FILE: keyFile, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '43200' }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a client token is bound to one trajectory and carries no organisation or roles', async () => {
    const token = await mintDevToken({
      sub: 'c1',
      kind: 'client',
      trajectory: TRAJECTORY,
      keyFile,
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      kind: 'client',
      subject: 'c1',
      organisationId: '',
      roles: [],
      trajectoryId: TRAJECTORY,
    });
  });

  it('a relative token likewise', async () => {
    const token = await mintDevToken({
      sub: 'r1',
      kind: 'relative',
      trajectory: TRAJECTORY,
      keyFile,
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({
      kind: 'relative',
      roles: [],
      trajectoryId: TRAJECTORY,
    });
  });

  it.each([
    ['a client token with roles', { kind: 'client', trajectory: TRAJECTORY, roles: ['operator'] }],
    ['a client token with an org', { kind: 'client', trajectory: TRAJECTORY, org: 'o' }],
    ['a client token without a trajectory', { kind: 'client' }],
    ['a relative token with a malformed trajectory', { kind: 'relative', trajectory: 'x' }],
    ['an unknown kind', { kind: 'judge', trajectory: TRAJECTORY }],
    [
      'an organisation token bound to a trajectory',
      { org: 'o', roles: ['referrer'], trajectory: TRAJECTORY },
    ],
  ])('refuses %s', async (_why, claims) => {
    expect(await reason(await sign(claims, now(), now() + 600))).toBe('invalid_claims');
  });

  it('refuses a token whose lifetime exceeds the cap, though unexpired (100 years)', async () => {
    const claims = { org: 'o', roles: ['referrer'] };
    expect(await reason(await sign(claims, now(), now() + 100 * 365 * 86400))).toBe(
      'lifetime_too_long',
    );
    expect(await reason(await sign(claims, now(), now() + 12 * 3600 + 1))).toBe(
      'lifetime_too_long',
    );
    expect(await reason(await sign(claims, now(), now() + 12 * 3600))).toBe('accepted');
  });

  it('refuses a token issued longer ago than the cap, or without iat', async () => {
    const claims = { org: 'o', roles: ['referrer'] };
    expect(await reason(await sign(claims, now() - 13 * 3600, now() + 60))).not.toBe('accepted');
    const key = await ensureDevKey(keyFile);
    const noIat = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer('ketenlink-local')
      .setAudience('ketenlink')
      .setSubject('s')
      .setExpirationTime(now() + 60)
      .sign(await importJWK(key.privateKey, key.alg));
    expect(await reason(noIat)).toBe('invalid_claims');
  });

  it('the cap is configurable and bounded', () => {
    expect(loadAuthConfig({}).maxTokenLifetimeSeconds).toBe(43200);
    expect(
      loadAuthConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).maxTokenLifetimeSeconds,
    ).toBe(3600);
    expect(() => loadAuthConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '1e12' })).toThrow();
  });

  it('mintDevToken refuses mixed claims', async () => {
    await expect(mintDevToken({ sub: 's', kind: 'client', keyFile })).rejects.toThrow();
    await expect(mintDevToken({ sub: 's', org: 'o', keyFile })).rejects.toThrow();
  });
});
