import { storeTestDatabases } from '../__testUtils__/storeFixtures';
import { idTable, inList, readRows, sql, trusted } from './statement';

jest.setTimeout(60_000);

describe('read statements', () => {
  const databases = storeTestDatabases();

  it('binds each value once, in order, and splices parts with theirs', () => {
    const part = sql`b = ${2}`;
    expect(
      sql`SELECT 1 FROM ${trusted(
        't',
      )} WHERE a = ${1} AND ${part} AND c = ${'x'}`,
    ).toEqual({
      text: 'SELECT 1 FROM t WHERE a = ? AND b = ? AND c = ?',
      values: [1, 2, 'x'],
    });
  });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('reads a list of any length as one value, matching exactly its items', async () => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('t', table => {
        table.increments('id');
        table.string('ref').notNullable().index();
      });
      // More than the 500 a chunk of bound parameters held, and one value with a quote.
      const refs = Array.from(
        { length: 1200 },
        (_, i) => `component:default/s-${i}`,
      );
      await knex.batchInsert(
        't',
        [...refs, "it's", 'other'].map(ref => ({ ref })),
        100,
      );
      const wanted = [...refs.filter((_, i) => i % 3 === 0), "it's", 'missing'];
      const rows = await readRows(
        knex,
        sql`SELECT ref FROM t WHERE ${inList(knex, 'ref', wanted)} ORDER BY id`,
      );
      expect(rows.map(r => r.ref)).toEqual(wanted.filter(r => r !== 'missing'));

      const ids = await readRows(
        knex,
        sql`SELECT id FROM t WHERE ${inList(
          knex,
          'id',
          [2, 5, 1201],
        )} ORDER BY id`,
      );
      expect(ids.map(r => Number(r.id))).toEqual([2, 5, 1201]);
      expect(
        await readRows(
          knex,
          sql`SELECT id FROM t WHERE ${inList(knex, 'ref', [])}`,
        ),
      ).toEqual([]);
    });

    it('drives a statement from a table of ids, one row per id given', async () => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('r', table => {
        table.integer('owner').notNullable();
        table.bigInteger('at').notNullable();
        table.primary(['owner', 'at']);
      });
      await knex('r').insert([
        { owner: 1, at: 10 },
        { owner: 1, at: 20 },
        { owner: 1, at: 30 },
        { owner: 2, at: 20 },
        { owner: 3, at: 20 },
      ]);
      // Each id reads only its own rows of [15, 30), compared as rows.
      const rows = await readRows(
        knex,
        sql`SELECT i.id, COUNT(r.at) AS n FROM ${idTable(knex, [1, 3, 4], 'i')}
          LEFT JOIN r ON (r.owner, r.at) >= (i.id, ${15}) AND (r.owner, r.at) < (i.id, ${30})
          GROUP BY i.id ORDER BY i.id`,
      );
      expect(rows.map(r => [Number(r.id), Number(r.n)])).toEqual([
        [1, 1],
        [3, 1],
        [4, 0],
      ]);
    });
  });
});
