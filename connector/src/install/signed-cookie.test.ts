import fc from 'fast-check';
import {SignedCookies} from './signed-cookie.js';

const KEY = Buffer.from('k'.repeat(32));

describe('SignedCookies', () => {
  it('gives back what it signed until it expires', () => {
    let now = new Date('2026-12-07T10:00:00Z');
    const cookies = new SignedCookies(KEY, () => now);
    const value = cookies.sign({shop: 'a.myshopify.com'}, 60);
    expect(cookies.verify<{shop: string}>(value)?.shop).toBe('a.myshopify.com');
    now = new Date('2026-12-07T10:01:00Z');
    expect(cookies.verify(value)).toBeUndefined();
  });

  it('refuses a value signed with another key or changed in any character', () => {
    const cookies = new SignedCookies(KEY);
    const other = new SignedCookies(Buffer.from('o'.repeat(32)));
    const value = cookies.sign({shop: 'a.myshopify.com', connectionId: 'c1'}, 600);
    expect(cookies.verify(other.sign({shop: 'a.myshopify.com', connectionId: 'c1'}, 600))).toBeUndefined();
    fc.assert(
      fc.property(fc.nat({max: value.length - 1}), fc.string({minLength: 1, maxLength: 1}), (at, ch) => {
        fc.pre(value[at] !== ch);
        const tampered = value.slice(0, at) + ch + value.slice(at + 1);
        expect(cookies.verify(tampered)).toBeUndefined();
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    const cookies = new SignedCookies(KEY);
    fc.assert(fc.property(fc.string(), (s) => cookies.verify(s) === undefined));
  });
});
