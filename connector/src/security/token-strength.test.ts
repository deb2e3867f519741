import {randomBytes} from 'node:crypto';
import {estimateTokenBits, MIN_TOKEN_BITS, weakTokenReason} from './token-strength.js';

describe('estimateTokenBits', () => {
  it('scores repeated, sequential and repeated-phrase tokens low', () => {
    expect(estimateTokenBits('a'.repeat(64))).toBe(0);
    expect(estimateTokenBits('abababababababababababababababab')).toBeLessThan(40);
    expect(estimateTokenBits('abcdefghijklmnopqrstuvwxyz0123456789')).toBeLessThan(MIN_TOKEN_BITS);
    expect(estimateTokenBits('password-password-password-password')).toBeLessThan(MIN_TOKEN_BITS);
    expect(estimateTokenBits('0123456789012345678901234567890123456789')).toBeLessThan(MIN_TOKEN_BITS);
  });

  it('scores generated tokens well above the bar', () => {
    for (let i = 0; i < 200; i++) {
      expect(estimateTokenBits(randomBytes(32).toString('base64'))).toBeGreaterThan(150);
      expect(estimateTokenBits(randomBytes(24).toString('base64url'))).toBeGreaterThan(120);
      expect(estimateTokenBits(randomBytes(32).toString('hex'))).toBeGreaterThan(200);
    }
  });

  it('accepts the tokens the tests and benchmarks use', () => {
    for (const token of [
      'e2e-admin-token-0123456789abcdef',
      'kill-test-admin-token-0123456789',
      'bench-admin-token-0123456789abcdef',
    ]) {
      expect(weakTokenReason(token)).toBeUndefined();
    }
  });

  it('explains a refusal without repeating the token', () => {
    const reason = weakTokenReason('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(reason).toMatch(/too easy to guess \(about 0 bits/);
    expect(reason).not.toContain('aaaa');
  });
});
