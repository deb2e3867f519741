import fc from 'fast-check';
import {subscriberHash} from './subscriber-hash.js';

describe('subscriberHash', () => {
  it('is the MD5 of the lower-cased address', () => {
    // md5("urist.mcvankab@freddiesjokes.com"), the example in Mailchimp's docs
    expect(subscriberHash('Urist.McVankab@freddiesjokes.com')).toBe('62eeb292278cc15f5817cb78f7790b08');
  });

  it('is 32 lower-case hex digits and ignores case', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const hash = subscriberHash(email);
        expect(hash).toMatch(/^[0-9a-f]{32}$/);
        expect(subscriberHash(email.toUpperCase())).toBe(hash);
        expect(subscriberHash(email.toLowerCase())).toBe(hash);
      }),
    );
  });
});
