import {ConfigError, loadConfig} from './config.js';

/** PUBLIC_URL carries the list webhook's secret path: https outside development, test, demo mode and loopback. */
describe('PUBLIC_URL', () => {
  const production = {NODE_ENV: 'production', MAILCHIMP_API_KEY: 'abc123-us6', MAILCHIMP_LIST_ID: 'L1'};
  /** The PUBLIC_URL problems only (production asks for other settings too, which are not the subject here). */
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.filter((p) => p.startsWith('PUBLIC_URL'));
      throw err;
    }
  };

  it('must be https in production, with a clear start-up error', () => {
    expect(problemsOf({...production, PUBLIC_URL: 'http://connector.shop.example'})).toEqual([
      expect.stringMatching(/^PUBLIC_URL: must be https:\/\/ in production/),
    ]);
    expect(problemsOf({...production, PUBLIC_URL: 'https://connector.shop.example'})).toEqual([]);
  });

  it('may be http on a loopback host, in development and test, and in demo mode', () => {
    for (const url of ['http://127.0.0.1:3000', 'http://localhost:8080', 'http://[::1]:3000'])
      expect(problemsOf({...production, PUBLIC_URL: url})).toEqual([]);
    for (const NODE_ENV of ['development', 'test'])
      expect(problemsOf({...production, NODE_ENV, PUBLIC_URL: 'http://connector.lan'})).toEqual([]);
    expect(problemsOf({NODE_ENV: 'production', PUBLIC_URL: 'http://connector.lan'})).toEqual([]);
  });

  it('MAILCHIMP_EMAIL_CHANGE_WRITE_BACK is off unless set', () => {
    expect(loadConfig({}).MAILCHIMP_EMAIL_CHANGE_WRITE_BACK).toBe(false);
    expect(loadConfig({MAILCHIMP_EMAIL_CHANGE_WRITE_BACK: 'true'}).MAILCHIMP_EMAIL_CHANGE_WRITE_BACK).toBe(true);
  });
});
