import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, UnsecuredJWT, type JWTPayload } from 'jose';
import { loadAuthConfig, type AuthConfig } from './auth-config';
import { ensureDevKey } from './dev-key';
import { mintDevToken } from './mint-dev-token';
import { TokenVerificationError } from './token-verification.error';
import { TokenVerifier } from './token-verifier';

describe('TokenVerifier (local development key)', () => {
  let dir: string;
  let keyFile: string;
  let verifier: TokenVerifier;

  const configFor = (file: string): AuthConfig =>
    loadAuthConfig({ AUTH_LOCAL_KEY_FILE: file, AUTH_ISSUER: '', AUTH_AUDIENCE: '' });
  const mint = (overrides: Partial<Parameters<typeof mintDevToken>[0]> = {}) =>
    mintDevToken({
      sub: 'alice',
      org: 'org-reclassering',
      roles: ['probation-officer'],
      keyFile,
      ...overrides,
    });
  /** Signs arbitrary claims with the development key, for malformed-claim cases. */
  const signRaw = async (claims: JWTPayload, file = keyFile) => {
    const key = await ensureDevKey(file);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .setIssuer('ketenlink-local')
      .setAudience('ketenlink')
      .setIssuedAt()
      .sign(await importJWK(key.privateKey, key.alg));
  };
  const rejection = async (token: string) => {
    const error = await verifier.verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TokenVerificationError);
    return (error as TokenVerificationError).reason;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ketenlink-auth-'));
    keyFile = join(dir, 'dev-key.json');
    verifier = new TokenVerifier(configFor(keyFile));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns a valid token into a principal', async () => {
    const token = await mint({ roles: ['probation-officer', 'auditor'] });
    await expect(verifier.verify(token)).resolves.toEqual({
      kind: 'organisation',
      subject: 'alice',
      organisationId: 'org-reclassering',
      roles: ['probation-officer', 'auditor'],
    });
  });

  it('picks up a key file created after the verifier', async () => {
    const laterFile = join(dir, 'later', 'dev-key.json');
    const lateVerifier = new TokenVerifier(configFor(laterFile));
    const token = await mint({ keyFile: laterFile });
    await expect(lateVerifier.verify(token)).resolves.toMatchObject({ subject: 'alice' });
  });

  it('rejects an expired token', async () => {
    expect(await rejection(await mint({ ttlSeconds: -60 }))).toBe('expired');
    expect(await rejection(await mint({ expiresAt: new Date(Date.now() - 3_600_000) }))).toBe(
      'expired',
    );
  });

  it('accepts a token expired within the clock tolerance', async () => {
    await expect(verifier.verify(await mint({ ttlSeconds: -1 }))).resolves.toBeDefined();
  });

  it('rejects a wrong issuer', async () => {
    expect(await rejection(await mint({ issuer: 'somebody-else' }))).toBe('wrong_issuer');
  });

  it('rejects a wrong audience', async () => {
    expect(await rejection(await mint({ audience: 'other-platform' }))).toBe('wrong_audience');
  });

  it('rejects a tampered signature', async () => {
    const [header, payload, signature] = (await mint()).split('.');
    const i = Math.floor(signature.length / 2);
    const flipped = signature[i] === 'A' ? 'B' : 'A';
    const tampered = `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
    expect(await rejection(tampered)).toBe('bad_signature');
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await mint()).split('.');
    const forged = Buffer.from(
      JSON.stringify({
        sub: 'alice',
        org: 'org-reclassering',
        roles: ['operator'],
        iss: 'ketenlink-local',
        aud: 'ketenlink',
        exp: 4102444800,
      }),
    ).toString('base64url');
    expect(await rejection(`${header}.${forged}.${signature}`)).toBe('bad_signature');
  });

  it('rejects a token signed by another key', async () => {
    const otherFile = join(dir, 'other', 'dev-key.json');
    expect(await rejection(await mint({ keyFile: otherFile }))).toBe('unknown_key');
  });

  it('rejects another key that claims our key id', async () => {
    const ours = await ensureDevKey(keyFile);
    const other = await ensureDevKey(join(dir, 'impostor', 'dev-key.json'));
    const token = await new SignJWT({ org: 'org-x', roles: ['operator'] })
      .setProtectedHeader({ alg: other.alg, kid: ours.kid })
      .setSubject('mallory')
      .setIssuer('ketenlink-local')
      .setAudience('ketenlink')
      .setExpirationTime('1h')
      .sign(await importJWK(other.privateKey, other.alg));
    expect(await rejection(token)).toBe('bad_signature');
  });

  it('rejects an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT({ org: 'org-x', roles: ['operator'] })
      .setSubject('mallory')
      .setIssuer('ketenlink-local')
      .setAudience('ketenlink')
      .setExpirationTime('1h')
      .encode();
    expect(await rejection(token)).toBe('algorithm_not_allowed');
  });

  it('rejects a token without roles, with empty or unknown roles, or without org', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    expect(await rejection(await signRaw({ sub: 'a', org: 'o', exp }))).toBe('invalid_claims');
    expect(await rejection(await signRaw({ sub: 'a', org: 'o', roles: [], exp }))).toBe(
      'invalid_claims',
    );
    expect(await rejection(await signRaw({ sub: 'a', org: 'o', roles: ['root'], exp }))).toBe(
      'invalid_claims',
    );
    expect(await rejection(await signRaw({ sub: 'a', org: 'o', roles: 'operator', exp }))).toBe(
      'invalid_claims',
    );
    expect(await rejection(await signRaw({ sub: 'a', roles: ['operator'], exp }))).toBe(
      'invalid_claims',
    );
  });

  it('requires exp and sub', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    expect(await rejection(await signRaw({ sub: 'a', org: 'o', roles: ['operator'] }))).toBe(
      'invalid_claims',
    );
    expect(await rejection(await signRaw({ org: 'o', roles: ['operator'], exp }))).toBe(
      'invalid_claims',
    );
  });

  it('rejects garbage', async () => {
    expect(await rejection('')).toBe('malformed');
    expect(await rejection('not-a-token')).toBe('malformed');
    expect(await rejection('a.b.c')).toBe('malformed');
    expect(await rejection('x'.repeat(10_000))).toBe('malformed');
  });

  it('never puts the token in the error message', async () => {
    const token = await mint({ ttlSeconds: -60 });
    const error = (await verifier.verify(token).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(token.split('.')[1]);
  });
});
