import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { columns } from './columns';
import { createProductOsStores } from './createProductOsStores';

jest.setTimeout(60_000);

/** The column definitions the writer fits values to are those the migrations created. */
describe('columns', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

  it.each(databases.eachSupportedId())(
    'match the migrated schema on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      const actual: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const [table, defined] of Object.entries(columns)) {
        const info = await knex(table).columnInfo();
        for (const [name, column] of Object.entries(defined)) {
          const { type, maxLength } = info[name];
          const short: Record<string, string> = {
            'character varying': `varchar(${maxLength})`,
            text: 'text',
            integer: 'integer',
            bigint: 'bigint',
          };
          actual[`${table}.${name}`] = short[type] ?? type;
          expected[`${table}.${name}`] = column.type;
        }
      }
      expect(actual).toEqual(expected);
    },
  );
});
