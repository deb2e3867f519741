import {ConfigError, loadConfig} from './config.js';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.MAILCHIMP_MAX_CONCURRENT).toBe(4);
    expect(config.MAILCHIMP_TIMEOUT_MS).toBe(120_000);
    expect(config.METRICS_PUBLIC).toBe(false);
    // No currency default: the Mailchimp store takes the shop's own currency unless STORE_CURRENCY overrides it.
    expect(config.STORE_CURRENCY).toBeUndefined();
    expect(config.SHOP_CURRENCY_WAIT_SECONDS).toBe(5);
  });

  it('reports one line per wrong variable and never echoes a secret value', () => {
    const secret = 'not-a-valid-key-format!!';
    let caught: unknown;
    try {
      loadConfig({PORT: 'eighty', MAILCHIMP_API_KEY: secret, MAILCHIMP_MAX_CONCURRENT: '11'});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'MAILCHIMP_API_KEY',
      'MAILCHIMP_MAX_CONCURRENT',
      'PORT',
    ]);
    expect((caught as ConfigError).message).not.toContain(secret);
  });

  it('requires a data center with an OAuth access token', () => {
    expect(() => loadConfig({MAILCHIMP_ACCESS_TOKEN: 'tok'})).toThrow(/MAILCHIMP_DC/);
    expect(loadConfig({MAILCHIMP_ACCESS_TOKEN: 'tok', MAILCHIMP_DC: 'us6'}).MAILCHIMP_DC).toBe('us6');
  });

  it('runs everything in one process by default; web and worker roles need a real Mailchimp (not demo mode)', () => {
    expect(loadConfig({}).ROLE).toBe('all');
    const live = {MAILCHIMP_API_KEY: 'abc123-us6'};
    expect(loadConfig({...live, ROLE: 'web'}).ROLE).toBe('web');
    expect(loadConfig({...live, ROLE: 'worker'}).ROLE).toBe('worker');
    expect(() => loadConfig({...live, ROLE: 'sender'})).toThrow(/ROLE/);
    expect(() => loadConfig({ROLE: 'web'})).toThrow(/ROLE: must be all in demo mode/);
  });
});
