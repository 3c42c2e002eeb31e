import { DEFAULT_ALGORITHMS, loadAuthConfig } from './auth-config';

describe('loadAuthConfig', () => {
  it('defaults to the local development key under <repo>/.data/auth', () => {
    const config = loadAuthConfig({});
    expect(config).toMatchObject({
      issuer: 'ketenlink-local',
      audience: 'ketenlink',
      algorithms: DEFAULT_ALGORITHMS,
      clockToleranceSeconds: 5,
      maxTokenLifetimeSeconds: 43200,
    });
    expect(config.keySource).toEqual({
      kind: 'local',
      keyFile: expect.stringMatching(/[/\\]\.data[/\\]auth[/\\]dev-key\.json$/),
    });
  });

  it('uses a JWKS URL when one is given', () => {
    const config = loadAuthConfig({
      AUTH_JWKS_URL: 'https://idp.example.nl/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example.nl',
      AUTH_AUDIENCE: 'ketenlink-api',
      AUTH_ALGORITHMS: 'RS256, ES256',
    });
    expect(config).toMatchObject({
      issuer: 'https://idp.example.nl',
      audience: 'ketenlink-api',
      keySource: { kind: 'jwks', url: 'https://idp.example.nl/.well-known/jwks.json' },
      algorithms: ['RS256', 'ES256'],
    });
  });

  it('fails fast on nonsense', () => {
    expect(() => loadAuthConfig({ AUTH_JWKS_URL: 'not a url' })).toThrow();
    expect(() => loadAuthConfig({ AUTH_CLOCK_TOLERANCE_SECONDS: '3600' })).toThrow();
  });
});
