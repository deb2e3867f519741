import {z} from 'zod';

/**
 * Every environment variable the connector reads, validated once at start-up. Nothing else in the code reads
 * `process.env`; the parsed `Config` is passed in. Keep the README's configuration table in step with this schema.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = z.coerce.number().int().positive();

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MAILCHIMP_API_KEY: z
      .string()
      .regex(/^[0-9a-zA-Z]+-[a-z]+[0-9]+$/, 'must look like <key>-<dc>, e.g. 0123abcd-us6')
      .optional(),
    MAILCHIMP_ACCESS_TOKEN: z.string().min(1).optional(),
    MAILCHIMP_DC: z.string().regex(/^[a-z]+[0-9]+$/, 'must be a data center such as us6').optional(),
    MAILCHIMP_BASE_URL: z.url().optional(),
    MAILCHIMP_MAX_CONCURRENT: positiveInt.max(10).default(4),
    MAILCHIMP_MAX_ATTEMPTS: positiveInt.max(20).default(6),
    MAILCHIMP_TIMEOUT_MS: positiveInt.default(120_000),
    REDIS_URL: z.url().optional(),
    METRICS_PUBLIC: booleanFromEnv.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.MAILCHIMP_ACCESS_TOKEN && !env.MAILCHIMP_DC && !env.MAILCHIMP_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAILCHIMP_DC'],
        message: 'is required with MAILCHIMP_ACCESS_TOKEN (or run `npm run connector -- mailchimp-dc` to look it up)',
      });
    }
    if (env.MAILCHIMP_API_KEY && env.MAILCHIMP_ACCESS_TOKEN) {
      ctx.addIssue({code: 'custom', path: ['MAILCHIMP_ACCESS_TOKEN'], message: 'set either MAILCHIMP_API_KEY or MAILCHIMP_ACCESS_TOKEN, not both'});
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError with one line per wrong or missing variable. Values never echo back. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(problems);
}
