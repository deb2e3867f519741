import {inspect} from 'node:util';
import fc from 'fast-check';
import {SecretBox} from './secret-box.js';

describe('SecretBox', () => {
  const box = SecretBox.fromBase64(SecretBox.generateKey());

  it('round-trips any text and never stores it in clear', () => {
    fc.assert(
      fc.property(fc.string({minLength: 1}), (secret) => {
        const sealed = box.seal(secret);
        expect(box.open(sealed)).toBe(secret);
        expect(sealed.startsWith('v1.')).toBe(true);
        if (secret.length >= 4) expect(sealed).not.toContain(secret);
      }),
    );
  });

  it('refuses tampered ciphertext and another key', () => {
    const sealed = box.seal('0123456789abcdef0123456789abcdef-us6');
    const parts = sealed.split('.');
    const tampered = [parts[0], parts[1], parts[2], Buffer.from('tampered').toString('base64url')].join('.');
    expect(() => box.open(tampered)).toThrow();
    expect(() => SecretBox.fromBase64(SecretBox.generateKey()).open(sealed)).toThrow();
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });

  it('hides its key from JSON and inspection', () => {
    expect(JSON.stringify({box})).toBe('{"box":"[SecretBox]"}');
    expect(inspect(box)).toBe('[SecretBox]');
    expect(() => SecretBox.fromBase64('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
