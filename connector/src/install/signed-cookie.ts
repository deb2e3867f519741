import {createHmac, timingSafeEqual} from 'node:crypto';
import type {Request, Response} from 'express';

/**
 * Small signed cookies for the merchant's session and the OAuth `state` round trips (install/).
 *
 * The value is `base64url(JSON payload) "." base64url(HMAC-SHA256)`, the payload carrying its own expiry (`exp`,
 * epoch seconds), so a copied cookie dies on time even if a browser keeps it. Nothing secret goes in a payload: it
 * is signed, not encrypted. Comparison is constant time.
 *
 * Why not cookie-parser/express-session: the connector keeps no server-side session store (many processes, no
 * sticky sessions), and a signed, self-expiring value is all a session bound to one shop needs.
 */
export interface CookieOptions {
  /** Lifetime in seconds (Max-Age and the payload's own expiry). */
  maxAgeSeconds: number;
  /** Secure attribute: set when the connector is reached over https (PUBLIC_URL). */
  secure: boolean;
  path?: string;
}

export class SignedCookies {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Signs a payload (plus its expiry) into a cookie value. */
  sign(payload: object, maxAgeSeconds: number): string {
    const exp = Math.floor(this.now().getTime() / 1000) + maxAgeSeconds;
    const body = Buffer.from(JSON.stringify({...payload, exp}), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload of a value this key signed and that has not expired; undefined otherwise. */
  verify<T extends object>(value: string | undefined): T | undefined {
    if (!value) return undefined;
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'utf8');
    const expected = Buffer.from(this.mac(body), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (typeof payload !== 'object' || payload === null) return undefined;
    const exp = (payload as {exp?: unknown}).exp;
    if (typeof exp !== 'number' || exp * 1000 <= this.now().getTime()) return undefined;
    return payload as T;
  }

  /** Sets a signed cookie: HttpOnly, SameSite=Lax, Path=/ unless given. */
  set(res: Response, name: string, payload: object, options: CookieOptions): void {
    res.append('Set-Cookie', serializeCookie(name, this.sign(payload, options.maxAgeSeconds), options));
  }

  read<T extends object>(req: Request, name: string): T | undefined {
    return this.verify<T>(readCookie(req, name));
  }

  clear(res: Response, name: string, options: Omit<CookieOptions, 'maxAgeSeconds'>): void {
    res.append('Set-Cookie', serializeCookie(name, '', {...options, maxAgeSeconds: 0}));
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body, 'utf8').digest('base64url');
  }

  toJSON(): string {
    return '[SignedCookies]';
  }
}

function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The value of one cookie of the request (the last one when a name repeats). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  let found: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) found = part.slice(eq + 1).trim();
  }
  return found;
}
