import { TestDatabases } from '@backstage/backend-test-utils';
import { namedRaw, statementName } from './namedStatements';

jest.setTimeout(60_000);

describe('statementName', () => {
  it('is one name per SQL text, the same every time', () => {
    const a = statementName('select 1');
    expect(statementName('select 1')).toBe(a);
    expect(statementName('select 2')).not.toBe(a);
    // PostgreSQL keeps 63 characters of a name.
    expect(a.length).toBeLessThanOrEqual(63);
  });
});

describe('namedRaw', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'runs the same statement again with new values, inside and outside transactions, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.schema.createTable('named_t', table => {
        table.integer('id').primary();
        table.string('name');
      });
      const insert = `insert into "named_t" ("id", "name") values (?, ?) on conflict ("id") do update set "name" = excluded.name`;
      await namedRaw(knex, insert, [1, 'a']);
      await knex.transaction(tx => namedRaw(tx, insert, [2, 'b']));
      // A failed transaction leaves the statement usable on its connection.
      await expect(
        knex.transaction(async tx => {
          await namedRaw(tx, insert, [3, 'c']);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await knex.transaction(tx => namedRaw(tx, insert, [1, 'a2']));
      const select = `select "id", "name" from "named_t" where "id" in (?, ?, ?) order by "id"`;
      const result = await namedRaw(knex, select, [1, 2, 3]);
      const rows = Array.isArray(result) ? result : result.rows;
      expect(rows.map((r: any) => [Number(r.id), r.name])).toEqual([
        [1, 'a2'],
        [2, 'b'],
      ]);
    },
  );
});

describe('namedRaw on PostgreSQL', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'prepares the statement on its connection under its name, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const sql = 'select ? :: integer + 1 as "next"';
      const prepared = await knex.transaction(async tx => {
        const { rows } = await namedRaw(tx, sql, [41]);
        expect(rows).toEqual([{ next: 42 }]);
        return (
          await tx.raw(
            'select statement from pg_prepared_statements where name = ?',
            [statementName(sql)],
          )
        ).rows;
      });
      expect(prepared).toEqual([
        { statement: 'select $1 :: integer + 1 as "next"' },
      ]);
    },
  );
});
