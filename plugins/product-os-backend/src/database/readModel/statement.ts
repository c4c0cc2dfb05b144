import type { Knex } from 'knex';
import { namedRaw } from '../namedStatements';
import { isPostgres } from '../sql';
import type { Row } from '../rowValues';

/*
 * The read model's statements are written as SQL text whose shape never depends on the values:
 * the same text for every entity, window and number of entities, values bound as `?`. knex's
 * query builder compiled each request's statement anew (0.7 ms of an overview's 2.7 ms of CPU,
 * on the event loop); PostgreSQL parsed and planned it anew (4–12 ms for the overview's). Fixed
 * text is compiled by nobody: SQLite keeps its prepared statement (`sqliteStatementCache.ts`),
 * and on PostgreSQL it is a named statement (`namedStatements.ts`), parsed once per connection
 * and, after a few runs, executed on a plan it keeps. Only a bounded set of texts exists, since
 * a list of values is one bound value ({@link inList}), not one `?` per item.
 */

/** SQL text and the values of its `?`, in order: a whole statement or a part of one. */
export interface Sql {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * `` sql`… ${value} …` ``: a value becomes a `?` bound to it; an interpolated {@link Sql} is
 * spliced in with its values. Identifiers and keywords go in the literal text only (or through
 * {@link trusted}), never from a value.
 */
export function sql(strings: TemplateStringsArray, ...parts: unknown[]): Sql {
  let text = strings[0];
  const values: unknown[] = [];
  parts.forEach((part, i) => {
    if (isSql(part)) {
      text += part.text;
      values.push(...part.values);
    } else {
      text += '?';
      values.push(part);
    }
    text += strings[i + 1];
  });
  return { text, values };
}

/** A constant of the code (a table or column name), spliced in as text. */
export function trusted(text: string): Sql {
  return { text, values: [] };
}

/** Parts joined by a separator, e.g. `' UNION ALL '`. */
export function joinSql(parts: Sql[], separator: string): Sql {
  return {
    text: parts.map(p => p.text).join(separator),
    values: parts.flatMap(p => p.values),
  };
}

/**
 * `<column> IN <values>`, with the list bound as one value whatever its length: an array on
 * PostgreSQL, JSON read by `json_each` on SQLite. One text for any number of values, and no
 * bound-parameter limit to stay under.
 */
export function inList(
  knex: Knex,
  column: string,
  values: readonly (string | number)[],
): Sql {
  return isPostgres(knex)
    ? sql`${trusted(column)} = ANY(${[...values]})`
    : sql`${trusted(column)} IN (SELECT value FROM json_each(${JSON.stringify(
        values,
      )}))`;
}

/**
 * A table `<alias>(id)` of the integer ids given, bound as one value (an array unnested on
 * PostgreSQL, JSON read by `json_each` on SQLite), for a statement to drive from: one row per
 * id, each joined to the rows of its own.
 */
export function idTable(
  knex: Knex,
  ids: readonly number[],
  alias: string,
): Sql {
  return isPostgres(knex)
    ? sql`unnest(CAST(${[...ids]} AS integer[])) AS ${trusted(alias)}(id)`
    : sql`(SELECT value AS id FROM json_each(${JSON.stringify(ids)})) ${trusted(
        alias,
      )}`;
}

/** Runs a read statement (named on PostgreSQL) and answers its rows on either engine. */
export async function readRows(knex: Knex, statement: Sql): Promise<Row[]> {
  const result = await namedRaw(knex, statement.text, statement.values);
  // better-sqlite3 answers with the rows, pg with a result holding them.
  return Array.isArray(result) ? result : result.rows;
}

function isSql(value: unknown): value is Sql {
  return (
    typeof value === 'object' &&
    value !== null &&
    'text' in value &&
    'values' in value &&
    Array.isArray((value as Sql).values)
  );
}
