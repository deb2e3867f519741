import Bottleneck from 'bottleneck';
import {Redis} from 'ioredis';
import type {Logger} from '../logging/logger.js';
import {PauseGate} from './pause-gate.js';

export interface AccountLimitersOptions {
  /** Simultaneous requests per Mailchimp account. Mailchimp allows 10, shared with every other app on the account. */
  maxConcurrent?: number;
  /**
   * Share each account's budget with every process that uses the same Redis and `groupId` (Bottleneck clustering).
   * Needs the patch in patches/bottleneck+2.19.5.patch on Redis ≥ 7 (stack.md §2, SETTINGS_KEY_NOT_FOUND).
   */
  redisUrl?: string;
  /** Prefix of the Bottleneck keys in Redis; processes with the same id share budgets. */
  groupId?: string;
  /** An idle account's limiter (and its Redis keys) is dropped after this long. */
  idleTimeoutMs?: number;
  /** Wipe this group's Redis state at start. Tests only. */
  clearDatastore?: boolean;
  logger?: Logger;
}

export interface AccountLimiter {
  readonly limiter: Bottleneck;
  /** The account's shared pause after a 429 (in this process). */
  readonly pause: PauseGate;
}

export const DEFAULT_MAX_CONCURRENT = 4;
export const DEFAULT_LIMITER_GROUP_ID = 'mailchimp-store-bridge.mailchimp';

/**
 * In memory, Bottleneck's store yields to the event loop between the free, register and run steps of a job with
 * `setTimeout(0)` (clamped to 1 ms or more, longer on a busy loop), which left a freed slot idle after every request
 * under a backlog. patches/bottleneck+2.19.5.patch makes a zero-length yield `setImmediate`: still a yield, without
 * the timer's delay (bench/budget.bench.ts measures the slots' use). Kept Bottleneck rather than a hand-made
 * semaphore: the same limiter in memory and clustered through Redis.
 *
 * One Bottleneck limiter per Mailchimp account (a `Bottleneck.Group` keyed by the account id, never by the
 * credential), in memory or clustered through Redis. Create one per process and share it between clients.
 */
export class AccountLimiters {
  readonly maxConcurrent: number;
  readonly groupId: string;
  private readonly group: Bottleneck.Group;
  private readonly connection: Bottleneck.IORedisConnection | undefined;
  private readonly pauses = new Map<string, PauseGate>();

  constructor(options: AccountLimitersOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    if (!Number.isInteger(this.maxConcurrent) || this.maxConcurrent < 1)
      throw new Error('maxConcurrent must be a positive integer');
    this.groupId = options.groupId ?? DEFAULT_LIMITER_GROUP_ID;
    const logger = options.logger;
    const common = {maxConcurrent: this.maxConcurrent, id: this.groupId, timeout: options.idleTimeoutMs ?? 5 * 60_000};
    if (options.redisUrl) {
      // Pass the ioredis module explicitly: Bottleneck otherwise does eval("require")("ioredis"), which breaks under ESM.
      this.connection = new Bottleneck.IORedisConnection({
        client: new Redis(options.redisUrl, {maxRetriesPerRequest: 3}),
        Redis,
      });
      this.connection.on('error', (error: unknown) =>
        logger?.error({err: describe(error)}, 'mailchimp limiter: redis error'),
      );
      this.group = new Bottleneck.Group({
        ...common,
        datastore: 'ioredis',
        connection: this.connection,
        clearDatastore: options.clearDatastore ?? false,
      });
    } else {
      this.group = new Bottleneck.Group(common);
    }
    this.group.on('created', (limiter: Bottleneck, key: string) => {
      limiter.on('error', (error: unknown) =>
        logger?.error({err: describe(error), account: key}, 'mailchimp limiter error'),
      );
    });
  }

  forAccount(accountId: string): AccountLimiter {
    let pause = this.pauses.get(accountId);
    if (!pause) {
      pause = new PauseGate();
      this.pauses.set(accountId, pause);
    }
    return {limiter: this.group.key(accountId), pause};
  }

  /** The Bottleneck id of an account's limiter (its Redis keys are `b_<id>_*`). */
  limiterId(accountId: string): string {
    return `${this.groupId}-${accountId}`;
  }

  /** Stops every limiter and closes the Redis connection. Jobs still queued are dropped. */
  async close(): Promise<void> {
    await Promise.all(this.group.limiters().map(({limiter}) => limiter.disconnect(false)));
    if (this.connection) await this.connection.disconnect(true);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
