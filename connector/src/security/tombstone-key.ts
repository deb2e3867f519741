import {createHmac} from 'node:crypto';
import type {SecretBox} from './secret-box.js';

/**
 * How a GDPR redaction remembers whom it erased without keeping who they were: an HMAC-SHA256 of the lower-cased
 * address (or of the platform customer id) under a key derived from ENCRYPTION_KEY.
 *
 * Why keyed and not a plain SHA-256: e-mail addresses are guessable, so a plain hash in a copied database would let
 * anyone holding a list of addresses learn which of them were this shop's customers and asked to be forgotten. With
 * the key outside the database (production requires ENCRYPTION_KEY in the environment), the database alone tells
 * nothing; the connector, holding the key, can still match a later event against the tombstone. The price: a new
 * ENCRYPTION_KEY makes old tombstones unmatchable (the key already cannot change without re-sealing credentials).
 */
export class TombstoneKey {
  private constructor(private readonly key: Buffer) {}

  static fromBox(box: SecretBox): TombstoneKey {
    return new TombstoneKey(box.deriveKey('redaction-tombstone/v1'));
  }

  /** The tombstone subject of an address (`email:<hex>`), case and surrounding space ignored. */
  email(address: string): string {
    return `email:${this.mac(`email\n${address.trim().toLowerCase()}`)}`;
  }

  /** The tombstone subject of a platform customer id (`customer:<hex>`). */
  customer(id: string): string {
    return `customer:${this.mac(`customer\n${id}`)}`;
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text, 'utf8').digest('hex');
  }

  toJSON(): string {
    return '[TombstoneKey]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[TombstoneKey]';
  }
}
