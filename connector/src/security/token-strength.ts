/**
 * How hard a secret token is to guess, estimated in bits. Used to refuse weak `ADMIN_TOKEN` values at start-up.
 *
 * The estimate is the smaller of two counts, so a token has to look random to both:
 * - **Shannon entropy × length**: the token's own character distribution (`aaaa…` is 0 bits, a token made of two
 *   characters at most 1 bit a character), with the Miller–Madow correction for a short sample (32 random hex
 *   characters would otherwise score below their 128 bits);
 * - **a pattern-aware count**: each character is worth log2 of the alphabet of the character classes the token uses
 *   (lower case 26, upper case 26, digits 10, anything else 33), except a repeat of the previous character (0 bits),
 *   a step of a run such as `abc` or `123` (1 bit), and a character continuing a three-character sequence already
 *   seen earlier in the token, as in `password-password` (1 bit).
 *
 * Neither count knows dictionaries, so it over-estimates a passphrase of common words; 100 bits is therefore asked
 * for, well above the 128-bit strength of the generated tokens (`openssl rand -base64 32` scores about 190,
 * `openssl rand -hex 32` about 240; 32 random base64url characters about 150).
 */
export const MIN_TOKEN_BITS = 100;

const CLASSES: Array<{test: RegExp; size: number}> = [
  {test: /[a-z]/, size: 26},
  {test: /[A-Z]/, size: 26},
  {test: /[0-9]/, size: 10},
  {test: /[^a-zA-Z0-9]/, size: 33},
];

export function estimateTokenBits(token: string): number {
  const chars = [...token];
  if (chars.length === 0) return 0;
  return Math.min(shannonBits(chars), patternBits(chars));
}

function shannonBits(chars: string[]): number {
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let perChar = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    perChar -= p * Math.log2(p);
  }
  // Miller–Madow: the entropy of a short sample under-estimates its source's by about (K - 1) / 2N nats a symbol.
  const correction = counts.size > 1 ? (counts.size - 1) / (2 * chars.length * Math.LN2) : 0;
  return (perChar + correction) * chars.length;
}

function patternBits(chars: string[]): number {
  const alphabet = CLASSES.filter((c) => chars.some((ch) => c.test.test(ch))).reduce((sum, c) => sum + c.size, 0);
  const full = Math.log2(Math.max(alphabet, 2));
  const seenTrigrams = new Set<string>();
  let bits = 0;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const prev = chars[i - 1];
    const trigram = i >= 2 ? chars.slice(i - 2, i + 1).join('') : undefined;
    if (prev === c) {
      // a repeated character adds nothing
    } else if (prev !== undefined && Math.abs(c.codePointAt(0)! - prev.codePointAt(0)!) === 1) {
      bits += 1;
    } else if (trigram !== undefined && seenTrigrams.has(trigram)) {
      bits += 1;
    } else {
      bits += full;
    }
    // A trigram counts as seen once it has ended, so a sequence only matches an earlier, separate occurrence.
    if (i >= 3) seenTrigrams.add(chars.slice(i - 3, i).join(''));
  }
  return bits;
}

/** Why a token is refused, or undefined when it is strong enough. Never includes the token. */
export function weakTokenReason(token: string, minBits = MIN_TOKEN_BITS): string | undefined {
  const bits = Math.floor(estimateTokenBits(token));
  if (bits >= minBits) return undefined;
  return `is too easy to guess (about ${bits} bits of estimated entropy, at least ${minBits} needed); generate one with: openssl rand -base64 32`;
}
