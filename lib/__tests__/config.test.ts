import { ConfigError, loadConfig } from '../config';

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
});
