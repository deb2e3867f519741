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

    await repo.recordCheck('c1', {status: 'registered', webhookId: 'w1', urlBase: 'https://c.example', repair: 'created', at: '2026-03-02T00:00:00Z'});
    // A new audience keeps the token but forgets the old webhook id.
    await repo.tokenFor('c1', 'L2', '2026-03-03T00:00:00Z');
    expect(await repo.get('c1')).toMatchObject({list_id: 'L2', webhook_id: null, status: 'registered', last_repair: 'created'});
  });
}
