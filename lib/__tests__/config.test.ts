import { assertProductionReady, ConfigError, loadConfig } from '../config';

describe('loadConfig', () => {
  it('applies defaults with named units', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.SHUTDOWN_TIMEOUT_MS).toBe(10_000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SUBGRAPH_URLS).toEqual({});
  });

  it('parses subgraph URL overrides', () => {
    expect(loadConfig({ SUBGRAPH_URLS: 'zones=http://zones:4001/graphql' }).SUBGRAPH_URLS).toEqual({
      zones: 'http://zones:4001/graphql',
    });
  });

  it('fails fast naming every bad variable and its value', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SUBGRAPH_URLS: 'zones' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT="eighty"/);
    expect(attempt).toThrow(/DATABASE_URL="mysql:\/\/x": must start with postgres/);
    expect(attempt).toThrow(/SUBGRAPH_URLS="zones"/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('never echoes a secret, even a bad one', () => {
    const attempt = () =>
      loadConfig({
        SCOPE_SECRET: 'short-SECRET-MARKER',
        JWT_SECRET: 'also-SECRET-MARKER',
        DATABASE_URL: 'postgres://app:PW-MARKER@db:5432/x?x=%',
      });
    expect(attempt).toThrow(/SCOPE_SECRET=<19 characters, not shown>: must be at least 32/);
    expect(attempt).not.toThrow(/MARKER/);
  });

  it('takes a CORS origin list or *', () => {
    expect(loadConfig({}).CORS_ORIGINS).toBe('*');
    expect(
      loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:5173' }).CORS_ORIGINS,
    ).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ORIGINS: 'a.example/path' })).toThrow(/CORS_ORIGINS/);
  });
});

describe('production', () => {
  const secret = 'x'.repeat(32);
  const database = 'postgres://app:pw@db:5432/mobility';

  it('has the demo on by default outside production, and never in it', () => {
    expect(loadConfig({})).toMatchObject({ DEMO: true, DEMO_FEEDS: true });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
      DEMO: false,
      DEMO_FEEDS: false,
    });
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO: 'true' })).toThrow(
      'invalid configuration: DEMO=true: demo identities and feeds are never created in production',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', DEMO_FEEDS: 'yes' })).toThrow(/DEMO_FEEDS/);
  });

  it('names everything missing in one message', () => {
    const config = loadConfig({ NODE_ENV: 'production' });
    expect(() =>
      assertProductionReady(config, { identityProvider: true, scopeSecret: true, database: true }),
    ).toThrow(
      'production start refused: set JWT_JWKS_URL or JWT_PUBLIC_KEY (your identity provider); ' +
        'SCOPE_SECRET (32+ random characters, the same on the gateway and every subgraph); ' +
        'DATABASE_URL (or ALLOW_EMBEDDED_DATABASE=true to run the embedded PostgreSQL, which trusts every local connection)',
    );
  });

  it('refuses development HS256 tokens and accepts an identity provider', () => {
    const hs256 = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: secret,
      SCOPE_SECRET: secret,
      DATABASE_URL: database,
    });
    expect(() => assertProductionReady(hs256, { identityProvider: true })).toThrow(
      /JWT_JWKS_URL or JWT_PUBLIC_KEY .*JWT_SECRET unset/,
    );
    const ready = loadConfig({
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://id.example.org/.well-known/jwks.json',
      SCOPE_SECRET: secret,
      DATABASE_URL: database,
    });
    expect(() =>
      assertProductionReady(ready, { identityProvider: true, scopeSecret: true, database: true }),
    ).not.toThrow();
  });

  it('runs the embedded database in production only when asked to', () => {
    const embedded = loadConfig({ NODE_ENV: 'production', ALLOW_EMBEDDED_DATABASE: 'true' });
    expect(() => assertProductionReady(embedded, { database: true })).not.toThrow();
    expect(() =>
      assertProductionReady(loadConfig({ NODE_ENV: 'production' }), { database: true }),
    ).toThrow(/ALLOW_EMBEDDED_DATABASE=true/);
  });

  it('requires nothing outside production', () => {
    expect(() =>
      assertProductionReady(loadConfig({}), {
        identityProvider: true,
        scopeSecret: true,
        database: true,
      }),
    ).not.toThrow();
  });
});
