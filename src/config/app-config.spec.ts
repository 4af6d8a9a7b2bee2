import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('applies safe defaults', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.http.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.database.url).toBe('postgresql://postgres@127.0.0.1:5432/quorum');
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('parses typed values', () => {
    const config = loadConfig({ PORT: '8080', QUORUM_TRUSTED_PROXIES: '10.0.0.1, 10.0.0.0/8', QUORUM_DOCS_ENABLED: 'false' });
    expect(config.http.port).toBe(8080);
    expect(config.http.trustedProxies).toEqual(['10.0.0.1', '10.0.0.0/8']);
    expect(config.http.docsEnabled).toBe(false);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', QUORUM_LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'QUORUM_LOG_LEVEL']) expect(message).toContain(name);
  });

  it('refuses development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/QUORUM_JWT_SECRET.*\n.*QUORUM_PSEUDONYM_SECRET/);
  });
});
