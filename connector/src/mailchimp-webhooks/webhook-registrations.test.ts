import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import {SecretBox} from '../security/secret-box.js';
import type {Store} from '../store/database.js';
import {WebhookRegistrationsRepository} from './webhook-registrations-repository.js';

describe('list webhook registrations on sqlite', () => suite('sqlite'));
describeWithService(POSTGRES, 'list webhook registrations on postgres', () => suite('postgres'));

function suite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  beforeEach(async () => {
    store = await openEngine(engine);
  });
  afterEach(() => store.dropAll());

  it('keeps one secret token per connection, sealed, found by its hash only', async () => {
    const repo = new WebhookRegistrationsRepository(store.db, SecretBox.fromBase64(SecretBox.generateKey()));
    const token = await repo.tokenFor('c1', 'L1', '2026-03-01T00:00:00Z');
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await repo.tokenFor('c1', 'L1', '2026-03-02T00:00:00Z')).toBe(token);
    expect(await repo.tokenFor('c2', 'L1', '2026-03-02T00:00:00Z')).not.toBe(token);
    const row = (await repo.byToken(token))!;
    expect(row.connection_id).toBe('c1');
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await repo.byToken('nope')).toBeUndefined();

    await repo.recordCheck('c1', {
      status: 'registered',
      webhookId: 'w1',
      urlBase: 'https://c.example',
      repair: 'created',
      at: '2026-03-02T00:00:00Z',
    });
    // A new audience keeps the token but forgets the old webhook id.
    await repo.tokenFor('c1', 'L2', '2026-03-03T00:00:00Z');
    expect(await repo.get('c1')).toMatchObject({
      list_id: 'L2',
      webhook_id: null,
      status: 'registered',
      last_repair: 'created',
    });
  });

  it('leases the registration check to one holder at a time; a lapsed lease is taken over', async () => {
    const repo = new WebhookRegistrationsRepository(store.db, SecretBox.fromBase64(SecretBox.generateKey()));
    expect(await repo.takeCheckLease('c1', 'h1', '2026-03-01T00:00:00.000Z', '2026-03-01T00:01:00.000Z')).toBe(false); // no row yet
    await repo.tokenFor('c1', 'L1', '2026-03-01T00:00:00.000Z');
    await repo.tokenFor('c2', 'L1', '2026-03-01T00:00:00.000Z');
    const takes = await Promise.all(
      ['h1', 'h2', 'h3'].map((h) =>
        repo.takeCheckLease('c1', h, '2026-03-01T00:00:00.000Z', '2026-03-01T00:01:00.000Z'),
      ),
    );
    expect(takes.filter(Boolean)).toHaveLength(1);
    const holder = ['h1', 'h2', 'h3'][takes.indexOf(true)]!;
    expect(await repo.get('c1')).toMatchObject({check_holder: holder, check_lease_until: '2026-03-01T00:01:00.000Z'});
    // Per connection: another connection's lease is free.
    expect(await repo.takeCheckLease('c2', 'h9', '2026-03-01T00:00:00.000Z', '2026-03-01T00:01:00.000Z')).toBe(true);

    expect(await repo.extendCheckLease('c1', 'other', '2026-03-01T00:05:00.000Z')).toBe(false);
    expect(await repo.extendCheckLease('c1', holder, '2026-03-01T00:02:00.000Z')).toBe(true);
    expect(await repo.takeCheckLease('c1', 'h4', '2026-03-01T00:01:30.000Z', '2026-03-01T00:02:30.000Z')).toBe(false);
    // Only the holder releases it.
    await repo.releaseCheckLease('c1', 'other');
    expect(await repo.takeCheckLease('c1', 'h4', '2026-03-01T00:01:30.000Z', '2026-03-01T00:02:30.000Z')).toBe(false);
    // Its holder crashed: the lease lapses and the next check takes it; the old holder can no longer renew it.
    expect(await repo.takeCheckLease('c1', 'h4', '2026-03-01T00:02:00.000Z', '2026-03-01T00:03:00.000Z')).toBe(true);
    expect(await repo.extendCheckLease('c1', holder, '2026-03-01T00:04:00.000Z')).toBe(false);
    await repo.releaseCheckLease('c1', 'h4');
    expect(await repo.get('c1')).toMatchObject({check_holder: null, check_lease_until: null});
    expect(await repo.takeCheckLease('c1', 'h5', '2026-03-01T00:02:01.000Z', '2026-03-01T00:03:01.000Z')).toBe(true);
  });
}
