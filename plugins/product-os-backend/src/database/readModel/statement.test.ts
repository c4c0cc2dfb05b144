import { storeTestDatabases } from '../__testUtils__/storeFixtures';
import { inList, readRows, sql, trusted } from './statement';

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
  });
});
