import {pino, type Logger, type LoggerOptions} from 'pino';

export type {Logger};

/**
 * Paths the logger blanks out wherever they appear, so that secrets are masked in one place rather than at call
 * sites. Anything that may carry an API key, token or HMAC secret belongs here.
 */
export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'accessToken',
  '*.accessToken',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-shopify-access-token"]',
  'config.MAILCHIMP_API_KEY',
  'config.MAILCHIMP_ACCESS_TOKEN',
  'config.SHOPIFY_API_SECRET',
  'config.SHOPIFY_ACCESS_TOKEN',
  'config.ADMIN_TOKEN',
];

export interface LoggerSettings {
  level: string;
  /** Pretty output for a person at a terminal; JSON lines otherwise. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: {paths: REDACTED_PATHS, censor: '[redacted]'},
    base: {service: 'connector'},
  };
  if (settings.destination) return pino(options, settings.destination);
  if (settings.pretty) {
    return pino({
      ...options,
      transport: {target: 'pino-pretty', options: {colorize: true, translateTime: 'SYS:HH:MM:ss.l'}},
    });
  }
  return pino(options);
}
