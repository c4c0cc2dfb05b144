import knexFactory, { Knex } from 'knex';
import { cacheSqliteStatements, cacheStatements } from './sqliteStatementCache';

/** The better-sqlite3 connection of a knex (the driver ships no types of its own). */
type Connection = {
  exec(sql: string): void;
  prepare(sql: string): any;
};

describe('cacheStatements', () => {
  let knex: Knex;
  let db: Connection;

  beforeEach(async () => {
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    db = await knex.client.acquireConnection();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  });

  afterEach(async () => {
    await knex.client.releaseConnection(db);
    await knex.destroy();
  });

  it('answers the statement prepared before for the same SQL, which runs with new values', () => {
    cacheStatements(db);
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    expect(db.prepare('INSERT INTO t (name) VALUES (?)')).toBe(insert);
    db.prepare('INSERT INTO t (name) VALUES (?)').run('a');
    db.prepare('INSERT INTO t (name) VALUES (?)').run('b');
    expect(db.prepare('SELECT name FROM t ORDER BY id').all()).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    expect(db.prepare('SELECT id FROM t')).not.toBe(insert);
  });

  it('keeps the most recently used statements only', () => {
    cacheStatements(db, 2);
    const a = db.prepare('SELECT 1');
    const b = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(a);
    db.prepare('SELECT 3');
    // `SELECT 2` was the least recently used of three.
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
  });

  it('prepares a fresh statement while the kept one is being iterated', () => {
    cacheStatements(db);
    db.prepare('INSERT INTO t (name) VALUES (?)').run('a');
    db.prepare('INSERT INTO t (name) VALUES (?)').run('b');
    const names: string[] = [];
    for (const row of db
      .prepare('SELECT name FROM t ORDER BY id')
      .iterate() as Iterable<{ name: string }>) {
      names.push(
        row.name,
        ...db
          .prepare('SELECT name FROM t ORDER BY id')
          .all()
          .map((r: { name: string }) => r.name),
      );
    }
    expect(names).toEqual(['a', 'a', 'b', 'b', 'a', 'b']);
  });

  it('runs a kept statement on the changed schema after a migration', () => {
    cacheStatements(db);
    db.prepare('INSERT INTO t (name) VALUES (?)').run('a');
    expect(db.prepare('SELECT * FROM t').all()).toEqual([{ id: 1, name: 'a' }]);
    db.exec("ALTER TABLE t ADD COLUMN kind TEXT DEFAULT 'x'");
    expect(db.prepare('SELECT * FROM t').all()).toEqual([
      { id: 1, name: 'a', kind: 'x' },
    ]);
  });
});

describe('cacheSqliteStatements', () => {
  it("caches the statements of a knex's connection, which runs knex's queries", async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      await cacheSqliteStatements(knex);
      const connection = await knex.client.acquireConnection();
      const prepared = connection.prepare('SELECT 1 AS one');
      expect(connection.prepare('SELECT 1 AS one')).toBe(prepared);
      await knex.client.releaseConnection(connection);
      expect(await knex.raw('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await knex.raw('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await knex.destroy();
    }
  });

  it('leaves other clients alone', async () => {
    const knex = knexFactory({ client: 'pg', connection: {} });
    try {
      await expect(cacheSqliteStatements(knex)).resolves.toBeUndefined();
    } finally {
      await knex.destroy();
    }
  });
});
