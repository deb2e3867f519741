import type {Kysely, Selectable} from 'kysely';
import type {SegmentOptions} from '../mailchimp/types/index.js';
import type {Database, SegmentsTable} from '../store/schema.js';
import type {SegmentCondition, SegmentDefinition} from './segment-definition.js';

/** A tag that carries a locally computed condition of a segment. */
export interface LocalTagRef {
  /** Index of the condition in the definition. */
  index: number;
  tag: string;
  /** Mailchimp static segment id. */
  id: number;
  /** The positive condition the tag's members satisfy (the compiler's `holds`). */
  holds: SegmentCondition;
  reason: string;
}

export interface SegmentRecord {
  id: number;
  connectionId: string;
  definition: SegmentDefinition;
  compiled: SegmentOptions;
  localTags: LocalTagRef[];
  mailchimpSegmentId: number | null;
  mailchimpCount: number | null;
  localCount: number | null;
  countedAt: string | null;
  tagsRefreshedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export class SegmentNameTakenError extends Error {
  constructor(readonly segmentName: string) {
    super(`a segment named "${segmentName}" already exists`);
    this.name = 'SegmentNameTakenError';
  }
}

export class SegmentsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Reserves the name; fails with SegmentNameTakenError when the connection already has a segment of that name. */
  async insert(connectionId: string, definition: SegmentDefinition, now: string): Promise<number> {
    const taken = await this.db
      .selectFrom('segments')
      .select('id')
      .where('connection_id', '=', connectionId)
      .where('name', '=', definition.name)
      .executeTakeFirst();
    if (taken) throw new SegmentNameTakenError(definition.name);
    try {
      const row = await this.db
        .insertInto('segments')
        .values({
          connection_id: connectionId,
          name: definition.name,
          definition: JSON.stringify(definition),
          compiled: '{}',
          local_tags: '[]',
          mailchimp_segment_id: null,
          mailchimp_count: null,
          local_count: null,
          counted_at: null,
          tags_refreshed_at: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    } catch (err) {
      // The unique constraint caught a concurrent create of the same name.
      if (
        await this.db
          .selectFrom('segments')
          .select('id')
          .where('connection_id', '=', connectionId)
          .where('name', '=', definition.name)
          .executeTakeFirst()
      ) {
        throw new SegmentNameTakenError(definition.name);
      }
      throw err;
    }
  }

  async remove(id: number): Promise<void> {
    await this.db.deleteFrom('segments').where('id', '=', id).execute();
  }

  async markCreated(
    id: number,
    values: {compiled: SegmentOptions; localTags: LocalTagRef[]; mailchimpSegmentId: number; now: string},
  ): Promise<void> {
    await this.db
      .updateTable('segments')
      .set({
        compiled: JSON.stringify(values.compiled),
        local_tags: JSON.stringify(values.localTags),
        mailchimp_segment_id: values.mailchimpSegmentId,
        updated_at: values.now,
      })
      .where('id', '=', id)
      .execute();
  }

  async recordCounts(
    id: number,
    counts: {mailchimpCount: number | null; localCount: number; at: string},
  ): Promise<void> {
    await this.db
      .updateTable('segments')
      .set({
        mailchimp_count: counts.mailchimpCount,
        local_count: counts.localCount,
        counted_at: counts.at,
        updated_at: counts.at,
      })
      .where('id', '=', id)
      .execute();
  }

  async recordTagsRefreshed(connectionId: string, at: string): Promise<void> {
    await this.db
      .updateTable('segments')
      .set({tags_refreshed_at: at})
      .where('connection_id', '=', connectionId)
      .execute();
  }

  async get(connectionId: string, id: number): Promise<SegmentRecord | undefined> {
    const row = await this.db
      .selectFrom('segments')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async list(connectionId: string): Promise<SegmentRecord[]> {
    const rows = await this.db
      .selectFrom('segments')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  /** Segments fully created in Mailchimp, for the periodic tag refresh. */
  async created(connectionId: string): Promise<SegmentRecord[]> {
    return (await this.list(connectionId)).filter((s) => s.mailchimpSegmentId !== null);
  }
}

function toRecord(row: Selectable<SegmentsTable>): SegmentRecord {
  return {
    id: Number(row.id),
    connectionId: row.connection_id,
    definition: JSON.parse(row.definition) as SegmentDefinition,
    compiled: JSON.parse(row.compiled) as SegmentOptions,
    localTags: JSON.parse(row.local_tags) as LocalTagRef[],
    mailchimpSegmentId: row.mailchimp_segment_id === null ? null : Number(row.mailchimp_segment_id),
    mailchimpCount: row.mailchimp_count === null ? null : Number(row.mailchimp_count),
    localCount: row.local_count === null ? null : Number(row.local_count),
    countedAt: row.counted_at,
    tagsRefreshedAt: row.tags_refreshed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
