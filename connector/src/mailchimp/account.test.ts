import {inspect} from 'node:util';
import fc from 'fast-check';
import {
  accountFromAccessToken,
  accountFromApiKey,
  accountFromConfig,
  authorizationHeader,
  dataCenterFromApiKey,
  InvalidCredentialsError,
} from './account.js';

const alnum = fc.stringMatching(/^[0-9A-Za-z]{1,64}$/);
const dataCenter = fc
  .tuple(fc.stringMatching(/^[a-z]{1,4}$/), fc.integer({min: 0, max: 999}))
  .map(([p, n]) => `${p}${n}`);

describe('dataCenterFromApiKey', () => {
  it('takes the data center from the key suffix', () => {
    expect(dataCenterFromApiKey('0123456789abcdef0123456789abcdef-us6')).toBe('us6');
  });

  it('parses any <alnum>-<dc>', () => {
    fc.assert(fc.property(alnum, dataCenter, (key, dc) => dataCenterFromApiKey(`${key}-${dc}`) === dc));
  });

  it.each([
    ['no suffix', '0123456789abcdef'],
    ['empty', ''],
    ['dc without digits', 'abc-us'],
    ['dc without letters', 'abc-6'],
    ['two dashes', 'abc-def-us6'],
    ['trailing space', 'abc-us6 '],
    ['upper-case dc', 'abc-US6'],
  ])('rejects a malformed key (%s) with a clear error that does not repeat it', (_case, key) => {
    let thrown: unknown;
    try {
      dataCenterFromApiKey(key);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidCredentialsError);
    expect((thrown as Error).message).toMatch(/must look like <key>-<data center>/);
    if (key.length > 3) expect((thrown as Error).message).not.toContain(key);
  });

  it('rejects anything that is not <alnum>-<dc>', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 40}), (key) => {
        fc.pre(!/^[0-9A-Za-z]+-[a-z]+[0-9]+$/.test(key));
        expect(() => dataCenterFromApiKey(key)).toThrow(InvalidCredentialsError);
      }),
    );
  });
});

describe('accounts', () => {
  const key = 'deadbeefdeadbeefdeadbeefdeadbeef-us19';

  it('derive the base URL from the dc, or take the override', () => {
    expect(accountFromApiKey(key).baseUrl).toBe('https://us19.api.mailchimp.com/3.0');
    expect(accountFromApiKey(key, {baseUrl: 'http://127.0.0.1:4010/3.0/'}).baseUrl).toBe('http://127.0.0.1:4010/3.0');
    expect(accountFromAccessToken('tok', 'us3').baseUrl).toBe('https://us3.api.mailchimp.com/3.0');
  });

  it('authenticate with Basic anystring:key for keys and Bearer for tokens', () => {
    expect(authorizationHeader(accountFromApiKey(key).credentials)).toBe(
      `Basic ${Buffer.from(`anystring:${key}`).toString('base64')}`,
    );
    expect(authorizationHeader(accountFromAccessToken('tok123', 'us3').credentials)).toBe('Bearer tok123');
  });

  it('have a limiter id made of the dc and a hash, never the credential', () => {
    const account = accountFromApiKey(key);
    expect(account.id).toMatch(/^us19-[0-9a-f]{16}$/);
    expect(account.id).not.toContain('deadbeef');
    expect(accountFromApiKey(key).id).toBe(account.id);
    expect(accountFromApiKey('cafebabe-us19').id).not.toBe(account.id);
  });

  it('never show the credential when logged or printed', () => {
    const account = accountFromApiKey(key);
    expect(JSON.stringify(account)).not.toContain('deadbeef');
    expect(inspect(account, {depth: 10})).not.toContain('deadbeef');
    expect(`${account.credentials.kind === 'apiKey' ? account.credentials.apiKey : ''}`).toBe('[redacted]');
  });

  it('reject a bad OAuth data center or an empty token', () => {
    expect(() => accountFromAccessToken('tok', 'US-6')).toThrow(InvalidCredentialsError);
    expect(() => accountFromAccessToken(' ', 'us6')).toThrow(/empty/);
  });

  it('come from the parsed config', () => {
    expect(accountFromConfig({})).toBeUndefined();
    expect(accountFromConfig({MAILCHIMP_API_KEY: key})?.dc).toBe('us19');
    const oauth = accountFromConfig({
      MAILCHIMP_ACCESS_TOKEN: 'tok',
      MAILCHIMP_DC: 'us7',
      MAILCHIMP_BASE_URL: 'http://127.0.0.1:1/3.0',
    });
    expect(oauth?.credentials.kind).toBe('oauth');
    expect(oauth?.baseUrl).toBe('http://127.0.0.1:1/3.0');
  });
});
