import {openEngine, type EngineName} from '../../../test/support/databases.js';
import {describeWithService, POSTGRES} from '../../../test/support/services.js';
import {parseEventsBody} from '../ingest/generic/parse-events-body.js';
import {toStoreEvent} from '../ingest/generic/to-store-events.js';
import type {Store} from '../store/database.js';
import {project, projectionContext} from '../sync/projector.js';
import {audienceFactPages, loadCatalogFacts} from './audience-facts.js';
import {EXPECTED_SEGMENTS, FIXTURE_EVENTS, FIXTURE_NOW} from './fixtures/audience.js';
import {fixtureAudience} from './fixtures/audience-facts-from-events.js';
import {expectedSubscribed, segmentHolds, type PersonFacts} from './local-audience.js';

const tagRules = {vipSpendThreshold: {minor: 20_000, currency: 'USD'}, lapsedAfterDays: 180};

describe('audience facts from the database on sqlite', () => suite('sqlite'));
describeWithService(POSTGRES, 'audience facts from the database on postgres', () => suite('postgres'));

function suite(engine: EngineName): void {
  let store: Store & {dropAll(): Promise<void>};
  beforeAll(async () => {
    store = await openEngine(engine);
    // The fixture store projected exactly as the inbox processor projects ingest events.
    const parsed = parseEventsBody({events: FIXTURE_EVENTS});
    if (!parsed.ok) throw new Error('invalid fixture');
    for (const event of parsed.events.map(toStoreEvent)) {
      await store.db.transaction().execute(async (trx) => {
        const result = await project(
          event,
          projectionContext(trx, store.engine, {connectionId: 'c1', now: FIXTURE_NOW}),
        );
        if (!result.ok) throw new Error(result.error);
      });
    }
  });
  afterAll(() => store.dropAll());

  async function loadAll(
    pageSize: number,
  ): Promise<{people: PersonFacts[]; pages: number; segmentMembers: (i: number) => string[]}> {
    const people: PersonFacts[] = [];
    const members = EXPECTED_SEGMENTS.map(() => [] as string[]);
    let pages = 0;
    for await (const page of audienceFactPages({
      db: store.db,
      connectionId: 'c1',
      currency: 'USD',
      tagRules,
      now: FIXTURE_NOW,
      pageSize,
    })) {
      pages += 1;
      people.push(...page.people);
      for (const person of page.people) {
        EXPECTED_SEGMENTS.forEach((s, i) => {
          if (segmentHolds(s.definition, person, page.ctx)) members[i]!.push(person.email);
        });
      }
    }
    return {people, pages, segmentMembers: (i) => members[i]!.sort()};
  }

  it('gathers people, their orders, open carts and managed tags page by page, as the pure fixture view has them', async () => {
    const {people, pages} = await loadAll(3);
    expect(pages).toBe(3);
    const expected = fixtureAudience(tagRules).people;
    const shape = (p: PersonFacts) => ({
      email: p.email,
      consent: p.consent?.state,
      orders: p.orders.map((o) => o.id).sort(),
      carts: p.openCarts.map((c) => c.id),
      tags: [...p.tags].sort(),
    });
    expect(people.map(shape)).toEqual(expected.map(shape));
  });

  it('evaluates every fixture segment to its expected members', async () => {
    const {people, segmentMembers} = await loadAll(500);
    EXPECTED_SEGMENTS.forEach((s, i) => {
      expect({segment: s.definition.name, members: segmentMembers(i)}).toEqual({
        segment: s.definition.name,
        members: s.members.map((n) => `${n}@shop.test`).sort(),
      });
    });
    expect(
      people
        .filter(expectedSubscribed)
        .map((p) => p.email.split('@')[0])
        .sort(),
    ).toEqual(['ada', 'ben', 'dan', 'eve', 'gus']);
  });

  it('knows which product titles are unique', async () => {
    const catalog = await loadCatalogFacts(store.db, 'c1');
    expect(catalog.product('p-tee')).toEqual({title: 'Organic Tee', titleIsUnique: true});
    expect(catalog.product('p-gift-a')).toEqual({title: 'Gift Card', titleIsUnique: false});
    expect(catalog.product('nope')).toBeUndefined();
  });
}
