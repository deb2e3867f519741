import {createCipheriv, createDecipheriv, createHmac, randomBytes} from 'node:crypto';

/**
 * Encrypts stored credentials (Mailchimp keys and tokens, Shopify secrets) with AES-256-GCM. The sealed form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so a future key rotation can add `v2`. The key never leaves memory.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes (base64 of 32 random bytes)');
    this.key = key;
  }

  static fromBase64(encoded: string): SecretBox {
    return new SecretBox(Buffer.from(encoded, 'base64'));
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      'v1',
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /**
   * A key for another purpose derived from this one (HMAC-SHA256 of the purpose under the key), so one secret serves
   * several uses without any of them revealing it or each other (e.g. the redaction tombstones' HMAC key).
   */
  deriveKey(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`mailchimp-store-bridge/${purpose}`, 'utf8').digest();
  }

  /** Never let the key show up in logs or util.inspect. */
  toJSON(): string {
    return '[SecretBox]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[SecretBox]';
  }
}
