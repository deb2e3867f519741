import type {Kysely} from 'kysely';
import type {Logger} from '../logging/logger.js';
import type {MailchimpClient} from '../mailchimp/client.js';
import {isMailchimpError} from '../mailchimp/mailchimp-error.js';
import type {SegmentOptions} from '../mailchimp/types/index.js';
import type {Connection} from '../store/connections-repository.js';
import type {Database} from '../store/schema.js';
import type {TagRulesConfig} from '../sync/rules/tag-rules.js';
import {audienceFactPages, loadCatalogFacts} from './audience-facts.js';
import {conditionHolds, expectedSubscribed, inexactConditions, segmentHolds} from './local-audience.js';
import {planSegment, tagsOf, toMailchimpOptions, type SegmentPlan} from './segment-compiler.js';
import type {SegmentCondition, SegmentDefinition} from './segment-definition.js';
import {SegmentsRepository, type LocalTagRef, type SegmentRecord} from './segments-repository.js';

/** What the segment use-cases need of a connection's Mailchimp side (SyncContext implements it). */
export interface MailchimpTargets {
  target(connectionId: string): Promise<{connection: Connection; client: MailchimpClient; listId: string}>;
}

export interface SegmentServiceDeps {
  db: Kysely<Database>;
  targets: MailchimpTargets;
  tagRules(connection: Connection): TagRulesConfig;
  currency(connection: Connection): string;
  now(): Date;
  logger: Logger;
  /** Local tags younger than this are not recomputed before a count (default 60 s). */
  tagMaxAgeMs?: number;
}

export interface SegmentPreview {
  /** Subscribed people the connector expects in the segment, from local data. */
  local_count: number;
  /** Mailchimp's own count (subscribed contacts), or null when Mailchimp could not be asked. */
  mailchimp_count: number | null;
  /** mailchimp_count − local_count: contacts only Mailchimp knows (or, negative, people not yet synced). */
  difference: number | null;
  /** False when some condition cannot be evaluated exactly from local data; null for stored counts. */
  exact: boolean | null;
  notes: string[];
  counted_at: string;
}

export interface SegmentView {
  id: number;
  name: string;
  match: 'all' | 'any';
  conditions: SegmentCondition[];
  mailchimp: {segment_id: number | null; options: SegmentOptions | null};
  local_tags: Array<{condition_index: number; tag: string; tag_id: number; reason: string}>;
  preview: SegmentPreview | null;
  created_at: string;
}

/** A Mailchimp batch of static-segment members takes at most 500 addresses each way (notes §3). */
const BATCH = 500;

/**
 * Segments: compile and create them in Mailchimp, keep the tags of locally computed conditions in sync, and count
 * the expected members locally next to Mailchimp's count.
 */
export class SegmentService {
  private readonly repo: SegmentsRepository;

  constructor(private readonly deps: SegmentServiceDeps) {
    this.repo = new SegmentsRepository(deps.db);
  }

  /**
   * Creates the segment: resolves (or creates) the tags it targets, fills the local tags, creates the saved
   * segment, then counts. If Mailchimp refuses, nothing is kept locally and the error propagates.
   */
  async create(connectionId: string, definition: SegmentDefinition): Promise<SegmentView> {
    const now = this.now();
    const id = await this.repo.insert(connectionId, definition, now);
    try {
      const {connection, client, listId} = await this.deps.targets.target(connectionId);
      const plan = planSegment(definition, {
        catalog: await loadCatalogFacts(this.deps.db, connectionId),
        tagPrefix: this.deps.tagRules(connection).prefix,
      });
      const tagIds = await resolveTagIds(
        client,
        listId,
        tagsOf(plan).map((t) => t.tag),
      );
      const localTags = localTagRefs(plan, tagIds);
      await this.fillLocalTags(connection, client, listId, localTags);
      const options = toMailchimpOptions(plan, (tag) => tagIds.get(tag));
      const segment = await client.segments.create(listId, {name: definition.name, options});
      await this.repo.markCreated(id, {compiled: options, localTags, mailchimpSegmentId: segment.id, now: this.now()});
    } catch (err) {
      await this.repo.remove(id);
      throw err;
    }
    const record = (await this.repo.get(connectionId, id))!;
    return view(record, await this.count(record));
  }

  /** The segment with a fresh preview: local tags recomputed when stale, then both counts taken now. */
  async get(connectionId: string, id: number): Promise<SegmentView | undefined> {
    const record = await this.repo.get(connectionId, id);
    if (!record) return undefined;
    await this.ensureTagsFresh(connectionId, record);
    return view(record, await this.count(record));
  }

  /** Every segment with the counts taken last. */
  async list(connectionId: string): Promise<SegmentView[]> {
    return (await this.repo.list(connectionId)).map((r) => view(r, storedPreview(r)));
  }

  async record(connectionId: string, id: number): Promise<SegmentRecord | undefined> {
    return this.repo.get(connectionId, id);
  }

  /** Brings the local tags of this segment up to date unless they were refreshed within tagMaxAgeMs. */
  async ensureTagsFresh(connectionId: string, record: SegmentRecord): Promise<void> {
    if (record.localTags.length === 0) return;
    const age = record.tagsRefreshedAt ? Date.parse(this.now()) - Date.parse(record.tagsRefreshedAt) : Infinity;
    if (age < (this.deps.tagMaxAgeMs ?? 60_000)) return;
    await this.refreshLocalTags(connectionId);
  }

  /**
   * Recomputes every local tag of the connection's segments from local data and sends the add/remove differences
   * to Mailchimp (the periodic job). Returns how many addresses were added and removed.
   */
  async refreshLocalTags(connectionId: string): Promise<{tags: number; added: number; removed: number}> {
    const segments = await this.repo.created(connectionId);
    const byTag = new Map<string, {tag: string; id: number; holds: SegmentCondition}>();
    for (const s of segments) {
      for (const t of s.localTags) {
        byTag.set(t.tag, {tag: t.tag, id: t.id, holds: t.holds});
      }
    }
    if (byTag.size === 0) return {tags: 0, added: 0, removed: 0};
    const {connection, client, listId} = await this.deps.targets.target(connectionId);
    const totals = await this.fillLocalTags(connection, client, listId, [...byTag.values()]);
    await this.repo.recordTagsRefreshed(connectionId, this.now());
    return {tags: byTag.size, ...totals};
  }

  /** Local and Mailchimp counts, stored with the segment. */
  async count(record: SegmentRecord): Promise<SegmentPreview> {
    const {connection, client, listId} = await this.deps.targets.target(record.connectionId);
    let local = 0;
    const notes = new Set<string>();
    for await (const page of this.facts(connection)) {
      for (const note of inexactConditions(record.definition, page.ctx)) notes.add(note);
      for (const person of page.people)
        if (expectedSubscribed(person) && segmentHolds(record.definition, person, page.ctx)) local += 1;
    }
    let mailchimpCount: number | null = null;
    if (record.mailchimpSegmentId !== null) {
      try {
        mailchimpCount =
          (await client.segments.get(listId, record.mailchimpSegmentId, {fields: ['member_count']}))?.member_count ??
          null;
        if (mailchimpCount === null) notes.add('the saved segment no longer exists in Mailchimp');
      } catch (err) {
        this.deps.logger.warn(
          {err: isMailchimpError(err) ? err.toJSON() : String(err), segment: record.id},
          'segment count failed',
        );
        notes.add('Mailchimp could not be asked for its count');
      }
    }
    const at = this.now();
    await this.repo.recordCounts(record.id, {mailchimpCount, localCount: local, at});
    return {
      local_count: local,
      mailchimp_count: mailchimpCount,
      difference: mailchimpCount === null ? null : mailchimpCount - local,
      exact: notes.size === 0,
      notes: [...notes],
      counted_at: at,
    };
  }

  private facts(connection: Connection) {
    return audienceFactPages({
      db: this.deps.db,
      connectionId: connection.id,
      currency: this.deps.currency(connection),
      tagRules: this.deps.tagRules(connection),
      now: this.now(),
    });
  }

  /** One pass over local data for all tags, then one add/remove difference per tag against Mailchimp's members. */
  private async fillLocalTags(
    connection: Connection,
    client: MailchimpClient,
    listId: string,
    tags: Array<{tag: string; id: number; holds: SegmentCondition}>,
  ): Promise<{added: number; removed: number}> {
    if (tags.length === 0) return {added: 0, removed: 0};
    const wanted = new Map(tags.map((t) => [t.tag, new Set<string>()]));
    for await (const page of this.facts(connection)) {
      for (const person of page.people) {
        for (const t of tags) if (conditionHolds(t.holds, person, page.ctx)) wanted.get(t.tag)!.add(person.email);
      }
    }
    let added = 0;
    let removed = 0;
    for (const t of tags) {
      const result = await syncStaticMembers(client, listId, t.id, wanted.get(t.tag)!);
      added += result.added;
      removed += result.removed;
    }
    return {added, removed};
  }

  private now(): string {
    return this.deps.now().toISOString();
  }
}

function localTagRefs(plan: SegmentPlan, tagIds: Map<string, number>): LocalTagRef[] {
  return plan.conditions.flatMap((c) =>
    c.source === 'local'
      ? [{index: c.index, tag: c.tag, id: tagIds.get(c.tag)!, holds: c.holds, reason: c.reason}]
      : [],
  );
}

/**
 * Mailchimp ids of tags by name; missing tags are created empty (a condition on a tag nobody carries yet is valid
 * and simply matches nobody).
 */
export async function resolveTagIds(
  client: MailchimpClient,
  listId: string,
  names: string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  const wanted = new Set(names);
  const scan = async () => {
    for await (const s of client.segments.list(
      listId,
      {type: 'static'},
      {select: {fields: ['segments.id', 'segments.name', 'total_items']}},
    )) {
      if (wanted.has(s.name)) out.set(s.name, s.id);
    }
  };
  await scan();
  for (const name of names) {
    if (out.has(name)) continue;
    try {
      out.set(name, (await client.segments.create(listId, {name, static_segment: []})).id);
    } catch (err) {
      // Created meanwhile by another process: read it back.
      if (!isMailchimpError(err, 'invalid_resource') && !isMailchimpError(err, 'other')) throw err;
      await scan();
      if (!out.has(name)) throw err;
    }
  }
  return out;
}

/** Makes a static segment (tag) hold exactly `wanted` (lower-cased addresses), in batches of 500 each way. */
export async function syncStaticMembers(
  client: MailchimpClient,
  listId: string,
  segmentId: number,
  wanted: ReadonlySet<string>,
): Promise<{added: number; removed: number}> {
  const current = new Set<string>();
  for await (const m of client.segments.members(
    listId,
    segmentId,
    {include_cleaned: true, include_transactional: true, include_unsubscribed: true},
    {select: {fields: ['members.email_address', 'total_items']}},
  )) {
    current.add(m.email_address.toLowerCase());
  }
  const toAdd = [...wanted].filter((e) => !current.has(e)).sort();
  const toRemove = [...current].filter((e) => !wanted.has(e)).sort();
  let added = 0;
  let removed = 0;
  for (let i = 0; i < Math.max(toAdd.length, toRemove.length); i += BATCH) {
    const add = toAdd.slice(i, i + BATCH);
    const remove = toRemove.slice(i, i + BATCH);
    const result = await client.segments.batchMembers(listId, segmentId, {
      ...(add.length > 0 ? {members_to_add: add} : {}),
      ...(remove.length > 0 ? {members_to_remove: remove} : {}),
    });
    added += result.total_added;
    removed += result.total_removed;
  }
  return {added, removed};
}

function storedPreview(r: SegmentRecord): SegmentPreview | null {
  if (r.countedAt === null || r.localCount === null) return null;
  return {
    local_count: r.localCount,
    mailchimp_count: r.mailchimpCount,
    difference: r.mailchimpCount === null ? null : r.mailchimpCount - r.localCount,
    exact: null,
    notes: ['stored counts; GET /v1/segments/{id} counts afresh'],
    counted_at: r.countedAt,
  };
}

function view(r: SegmentRecord, preview: SegmentPreview | null): SegmentView {
  return {
    id: r.id,
    name: r.definition.name,
    match: r.definition.match,
    conditions: r.definition.conditions,
    mailchimp: {segment_id: r.mailchimpSegmentId, options: r.mailchimpSegmentId === null ? null : r.compiled},
    local_tags: r.localTags.map((t) => ({condition_index: t.index, tag: t.tag, tag_id: t.id, reason: t.reason})),
    preview,
    created_at: r.createdAt,
  };
}
