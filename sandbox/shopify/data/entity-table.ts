import type {SortValue} from '../query/cursor.js';
import {seek, type Keyed} from '../query/keyset-page.js';
import type {FieldRange} from '../query/search-filter.js';

export interface SortKeyDef<R> {
  /** The sort value; records with equal values are ordered by id. */
  value(record: R): SortValue;
  type: 'number' | 'string';
  /** The search field whose range terms this index can answer (`created_at` for CREATED_AT). */
  searchField?: string;
}

/**
 * The records of one kind, by id, with one sorted index per sort key. Indexes are built on first use and dropped on
 * every write (a write may change a sort value), so reads stay O(log n) and writes O(1) until the next read.
 */
export class EntityTable<R extends Keyed> {
  private readonly byId = new Map<number, R>();
  private readonly indexes = new Map<string, R[]>();
  private idSorted: R[] = [];
  private idSortedDirty = false;

  constructor(readonly sortKeys: Readonly<Record<string, SortKeyDef<R>>>) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: number): R | undefined {
    return this.byId.get(id);
  }

  /** Adds a record; records are usually added in id order, which keeps this an append. */
  insert(record: R): void {
    if (this.byId.has(record.id)) throw new Error(`duplicate id ${record.id}`);
    this.byId.set(record.id, record);
    const last = this.idSorted[this.idSorted.length - 1];
    if (last !== undefined && last.id > record.id) this.idSortedDirty = true;
    this.idSorted.push(record);
    this.indexes.clear();
  }

  /** Applies a change to a stored record (in place) and drops the indexes it may have invalidated. */
  update(id: number, change: (record: R) => void): R | undefined {
    const record = this.byId.get(id);
    if (!record) return undefined;
    change(record);
    this.indexes.clear();
    return record;
  }

  /** Every record in id order. */
  all(): readonly R[] {
    if (this.idSortedDirty) {
      this.idSorted.sort((a, b) => a.id - b.id);
      this.idSortedDirty = false;
    }
    return this.idSorted;
  }

  /** Records in ascending order of a sort key (ties by id). */
  sorted(sortKey: string): readonly R[] {
    const def = this.sortKeys[sortKey];
    if (!def) throw new Error(`no sort key ${sortKey}`);
    if (sortKey === 'ID') return this.all();
    let index = this.indexes.get(sortKey);
    if (!index) {
      const value = def.value;
      index = [...this.all()].sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        return va < vb ? -1 : va > vb ? 1 : a.id - b.id;
      });
      this.indexes.set(sortKey, index);
    }
    return index;
  }

  /** The index range of `sorted(sortKey)` that a range on the key's search field allows. */
  window(sortKey: string, range: FieldRange | undefined): {lo: number; hi: number} {
    const sorted = this.sorted(sortKey);
    const def = this.sortKeys[sortKey]!;
    if (!range || def.type !== 'number') return {lo: 0, hi: sorted.length};
    const value = def.value;
    const lo = range.lo ? seek(sorted, value, range.lo.value, range.lo.inclusive ? -Infinity : Infinity, false) : 0;
    const hi = range.hi ? seek(sorted, value, range.hi.value, range.hi.inclusive ? Infinity : -Infinity, false) : sorted.length;
    return {lo, hi: Math.max(lo, hi)};
  }
}
