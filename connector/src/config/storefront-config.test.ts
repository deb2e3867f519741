import {ConfigError, loadConfig} from './config.js';

describe('storefront configuration', () => {
  it('parses STOREFRONT_ORIGINS into lower-case origins and defaults the limits', () => {
    const config = loadConfig({STOREFRONT_ORIGINS: ' https://Shop.Example.com/, http://localhost:8080 ,'});
    expect(config.STOREFRONT_ORIGINS).toEqual(['https://shop.example.com', 'http://localhost:8080']);
    expect(loadConfig({}).STOREFRONT_ORIGINS).toEqual([]);
    expect(config.STOREFRONT_RATE_LIMIT_PER_IP).toBe(20);
    expect(config.STOREFRONT_RATE_LIMIT_PER_EMAIL).toBe(5);
    expect(config.STOREFRONT_RATE_WINDOW_SECONDS).toBe(600);
  });

  it('refuses entries that are not origins, one line each', () => {
    let caught: unknown;
    try {
      loadConfig({
        STOREFRONT_ORIGINS: 'https://shop.example.com/path,shop.example.com,ftp://x.example',
        STOREFRONT_RATE_LIMIT_PER_IP: '0',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems.filter((p) => p.startsWith('STOREFRONT_ORIGINS:'))).toHaveLength(3);
    expect(problems.some((p) => p.startsWith('STOREFRONT_RATE_LIMIT_PER_IP:'))).toBe(true);
  });
});
