import BetterSqlite3 from 'better-sqlite3';
import {Kysely, SqliteDialect, sql} from 'kysely';
import {withStatementCache} from './sqlite-statement-cache.js';

describe('withStatementCache', () => {
  let raw: BetterSqlite3.Database;
  beforeEach(() => {
    raw = new BetterSqlite3(':memory:');
    raw.exec('create table t (n integer)');
  });
  afterEach(() => raw.open && raw.close());

  it('hands out the same prepared statement for the same SQL', () => {
    const db = withStatementCache(raw);
    const a = db.prepare('select n from t where n = ?');
    expect(db.prepare('select n from t where n = ?')).toBe(a);
    expect(db.prepare('select n from t where n > ?')).not.toBe(a);
  });

  it('keeps at most `capacity` statements, dropping the least recently used', () => {
    const db = withStatementCache(raw, 2);
    const one = db.prepare('select 1');
    const two = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(one); // now the most recently used
    db.prepare('select 3'); // drops `select 2`
    expect(db.prepare('select 1')).toBe(one);
    expect(db.prepare('select 2')).not.toBe(two);
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    raw.exec('insert into t values (1), (2), (3)');
    const db = withStatementCache(raw);
    const first = db.prepare('select n from t order by n');
    const rows = first.iterate([]);
    expect(rows.next().value).toEqual({n: 1});
    const second = db.prepare('select n from t order by n');
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{n: 1}, {n: 2}, {n: 3}]);
    expect([...rows]).toEqual([{n: 2}, {n: 3}]);
  });

  it('answers Kysely queries exactly as without the cache', async () => {
    const db = new Kysely<{t: {n: number}}>({dialect: new SqliteDialect({database: withStatementCache(raw)})});
    for (let n = 1; n <= 3; n++) await db.insertInto('t').values({n}).execute();
    const read = () => db.selectFrom('t').select('n').where('n', '>=', 2).orderBy('n').execute();
    expect(await read()).toEqual([{n: 2}, {n: 3}]);
    await db.updateTable('t').set({n: 9}).where('n', '=', 3).execute();
    expect(await read()).toEqual([{n: 2}, {n: 9}]);
    expect((await sql<{c: number}>`select count(*) as c from t`.execute(db)).rows).toEqual([{c: 3}]);
    await db.destroy();
  });
});
