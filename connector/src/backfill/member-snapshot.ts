import type {Kysely} from 'kysely';
import type {MailchimpClient} from '../mailchimp/client.js';
import type {Database} from '../store/schema.js';
import type {CurrentMember} from '../sync/processors/member-processor.js';
import {BackfillScratchRepository} from './backfill-scratch-repository.js';

/** Rows written per transaction while reading the audience. */
const WRITE_CHUNK = 500;

/**
 * The audience as the backfill found it (status, last change, tags per address), read once with 1,000 members a
 * page and kept in the database, not in memory: member writes are then decided exactly as the live worker would,
 * without one GET per member. Taken after the orders phase, so it includes the contacts our own order writes made.
 */
export class MemberSnapshot {
  private readonly scratch: BackfillScratchRepository;

  constructor(db: Kysely<Database>) {
    this.scratch = new BackfillScratchRepository(db);
  }

  async take(connectionId: string, client: MailchimpClient, listId: string, signal?: AbortSignal): Promise<number> {
    await this.clear(connectionId);
    let chunk: Array<{
      connection_id: string;
      email: string;
      status: string;
      last_changed: string | null;
      tags: string;
    }> = [];
    let total = 0;
    const flush = async () => {
      if (chunk.length === 0) return;
      const rows = chunk;
      chunk = [];
      await this.scratch.saveSnapshot(rows);
    };
    const members = client.members.list(
      listId,
      {},
      {
        pageSize: 1000,
        select: {
          fields: ['members.email_address', 'members.status', 'members.last_changed', 'members.tags', 'total_items'],
        },
      },
    );
    for await (const m of members) {
      if (signal?.aborted) throw signal.reason;
      chunk.push({
        connection_id: connectionId,
        email: m.email_address.toLowerCase(),
        status: m.status,
        last_changed: m.last_changed ?? null,
        tags: JSON.stringify((m.tags ?? []).map((t) => t.name)),
      });
      total += 1;
      if (chunk.length >= WRITE_CHUNK) await flush();
    }
    await flush();
    return total;
  }

  async lookup(connectionId: string, emails: string[]): Promise<Map<string, CurrentMember>> {
    const found = new Map<string, CurrentMember>();
    const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
    for (let i = 0; i < wanted.length; i += 500) {
      const rows = await this.scratch.snapshotOf(connectionId, wanted.slice(i, i + 500));
      for (const r of rows)
        found.set(r.email, {
          status: r.status as CurrentMember['status'],
          last_changed: r.last_changed ?? undefined,
          tags: JSON.parse(r.tags) as string[],
        });
    }
    return found;
  }

  async clear(connectionId: string): Promise<void> {
    await this.scratch.clearSnapshot(connectionId);
  }
}
