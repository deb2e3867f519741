import {randomUUID} from 'node:crypto';
import {Redis} from 'ioredis';
import {describeWithService, REDIS, REDIS_TEST_URL} from '../../../test/support/services.js';
import {accountFromApiKey} from './account.js';
import {AccountLimiters} from './account-limiters.js';
import {MailchimpClient} from './client.js';
import {sendJson, startLocalHttpServer, type LocalHttpServer} from './testing/local-http-server.js';

describeWithService(REDIS, 'AccountLimiters clustered through Redis', () => {
  let redis: Redis;
  let groupId: string;
  const open: AccountLimiters[] = [];
  let server: LocalHttpServer | undefined;

  beforeEach(() => {
    redis = new Redis(REDIS_TEST_URL);
    groupId = `test-mailchimp-${randomUUID()}`;
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
    await server?.close();
    server = undefined;
    const keys = await redis.keys(`b_${groupId}-*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const limitersFor = (maxConcurrent: number) => {
    const limiters = new AccountLimiters({redisUrl: REDIS_TEST_URL, groupId, maxConcurrent});
    open.push(limiters);
    return limiters;
  };

  it('still runs jobs after the settings key is lost (Redis 7 SETTINGS_KEY_NOT_FOUND, patched)', async () => {
    const limiters = limitersFor(2);
    const {limiter} = limiters.forAccount('us6-abc');
    await expect(limiter.schedule(async () => 'first')).resolves.toBe('first');
    const settingsKey = `b_${limiters.limiterId('us6-abc')}_settings`;
    expect(await redis.exists(settingsKey)).toBe(1);
    await redis.del(settingsKey);
    await expect(limiter.schedule(async () => 'second')).resolves.toBe('second');
    expect(await redis.exists(settingsKey)).toBe(1);
  });

  it('shares one account budget between limiters on separate connections', async () => {
    server = await startLocalHttpServer(async (_req, res) => {
      await new Promise((r) => setTimeout(r, 25));
      sendJson(res, 200, {health_status: 'ok'});
    });
    const account = accountFromApiKey('abc123-us6', {baseUrl: `${server.origin}/3.0`});
    const a = new MailchimpClient({account, limiters: limitersFor(3)});
    const b = new MailchimpClient({account, limiters: limitersFor(3)});
    await Promise.all(Array.from({length: 30}, (_, i) => (i % 2 === 0 ? a : b).ping()));
    expect(server.requests).toHaveLength(30);
    expect(server.peakInFlight()).toBeLessThanOrEqual(3);
    expect(server.peakInFlight()).toBeGreaterThan(1);
  });
});
