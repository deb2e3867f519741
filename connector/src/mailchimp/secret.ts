import {inspect} from 'node:util';

const REDACTED = '[redacted]';

/**
 * A credential that cannot leak by accident: JSON.stringify, util.inspect, string conversion and pino all see
 * `[redacted]`. Only `reveal()` gives the value, and only the code that builds the Authorization header calls it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Replaces every occurrence of the given secret values in a text (for texts a server might echo back). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
