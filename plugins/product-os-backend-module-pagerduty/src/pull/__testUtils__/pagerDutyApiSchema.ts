import Ajv, { ValidateFunction } from 'ajv';
import { readFileSync } from 'fs';
import { resolve } from 'path';

/*
 * PagerDuty's published description of its REST API (PagerDuty/api-schema `openapiv3.json`,
 * kept unchanged in the repository's vendor-apis folder), used to check what the test server answers and
 * what the pull asks: an answer must validate against the operation's schema and carry no field
 * the schema does not name; a request may use only the operation's query parameters.
 */

type Schema = Record<string, any>;

const SPEC_PATH = resolve(
  __dirname,
  '../../../../../vendor-apis/pagerduty-rest-openapiv3.json',
);

const PAGINATION_FIELDS = ['offset', 'limit', 'more', 'total'];

let loaded: { spec: Schema; ajv: Ajv } | undefined;
const validators = new Map<string, ValidateFunction>();

function load() {
  if (!loaded) {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
    // The description says `oneOf` where its alternatives overlap (a service reference is also a
    // valid service, `{ "type": "api" }` matches every channel), which no answer could satisfy;
    // `anyOf` checks the same field names and types.
    const schemas = JSON.parse(
      JSON.stringify(spec).replace(/"oneOf":/g, '"anyOf":'),
    );
    // `AcknowledgeLogEntry` names its type `acknowledgement_log_entry`, while the `LogEntry` it
    // extends (and PagerDuty's answers) say `acknowledge_log_entry`: no entry could be both.
    schemas.components.schemas.AcknowledgeLogEntry.allOf[1].properties.type.enum.push(
      'acknowledge_log_entry',
    );
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateFormats: true,
    });
    ajv.addFormat('date-time', {
      validate: (value: string) =>
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value),
    });
    ajv.addFormat('url', {
      validate: (value: string) => /^https?:\/\//.test(value),
    });
    for (const format of [
      'TEXTAREA',
      'tzinfo',
      'email',
      'uuid',
      'binary',
      'int64',
      'float',
      'activesupport-time-zone',
      'time',
      'uri',
      'partial-time',
      'double',
    ]) {
      ajv.addFormat(format, true);
    }
    ajv.addSchema(schemas, 'pd');
    loaded = { spec: schemas, ajv };
  }
  return loaded;
}

/** The operation of `GET <template>` (e.g. `/incidents/{id}/log_entries`). */
function operation(template: string): Schema {
  const op = load().spec.paths[template]?.get;
  if (!op) throw new Error(`PagerDuty's API has no GET ${template}`);
  return op;
}

function deref(schema: Schema | undefined): Schema | undefined {
  let current = schema;
  while (current?.$ref) {
    const path = String(current.$ref).replace(/^#\//, '').split('/');
    current = path.reduce<any>(
      (node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
      load().spec,
    );
  }
  return current;
}

/** The query parameters PagerDuty documents for `GET <template>`. */
export function documentedQueryParameters(template: string): Set<string> {
  return new Set(
    (operation(template).parameters ?? [])
      .map((p: Schema) => deref(p))
      .filter((p: Schema | undefined) => p?.in === 'query')
      .map((p: Schema) => p.name as string),
  );
}

/** The problems of an answer of `GET <template>` with `status`: schema errors and unknown fields. */
export function answerProblems(
  template: string,
  status: number,
  body: unknown,
): string[] {
  const key = `${template} ${status}`;
  let validate = validators.get(key);
  const pointer = `pd#/paths/${template
    .replace(/~/g, '~0')
    .replace(/\//g, '~1')}/get/responses/${status}`;
  const response = deref(operation(template).responses?.[String(status)]);
  if (!response)
    return [`GET ${template} does not document a ${status} answer`];
  if (!validate) {
    const declared = operation(template).responses[String(status)];
    const at = declared.$ref ? `pd${declared.$ref}` : pointer;
    validate = load().ajv.compile({
      $ref: `${at}/content/application~1json/schema`,
    });
    validators.set(key, validate);
  }
  const problems = validate(body)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message}`);
  const schema = response.content?.['application/json']?.schema;
  // Pagination fields come with every answer of an operation that pages by offset, whether or
  // not its answer's schema repeats them (`/services/{id}/change_events` does not).
  const pages = documentedQueryParameters(template).has('offset');
  problems.push(
    ...unknownFields(schema, body, '', pages ? PAGINATION_FIELDS : []),
  );
  return problems;
}

/** Fields of `value` that `schema` does not name anywhere (so a misspelt field is caught). */
function unknownFields(
  schema: Schema | undefined,
  value: unknown,
  path: string,
  extra: string[] = [],
): string[] {
  const branches = flatten(schema);
  if (Array.isArray(value)) {
    const items = branches.map(b => b.items).filter(Boolean);
    return items.length === 0
      ? []
      : value.flatMap((item, i) =>
          unknownFieldsOfAny(items, item, `${path}/${i}`),
        );
  }
  if (typeof value !== 'object' || value === null) return [];
  if (branches.length === 0 || branches.some(b => isOpen(b))) return [];
  const problems: string[] = [];
  for (const [field, fieldValue] of Object.entries(value)) {
    if (extra.includes(field)) continue;
    const candidates = branches.map(b => b.properties?.[field]).filter(Boolean);
    if (candidates.length === 0) {
      problems.push(`${path}/${field} is not a field of PagerDuty's schema`);
      continue;
    }
    problems.push(
      ...unknownFieldsOfAny(candidates, fieldValue, `${path}/${field}`),
    );
  }
  return problems;
}

function unknownFieldsOfAny(
  schemas: Schema[],
  value: unknown,
  path: string,
): string[] {
  // The value fits one alternative: report only when it fits none.
  const byAlternative = schemas.map(s => unknownFields(s, value, path));
  return byAlternative.some(p => p.length === 0) ? [] : byAlternative[0];
}

const flattened = new WeakMap<Schema, Schema[]>();

/** A schema as the list of object schemas it combines (`allOf` merged, `anyOf` as alternatives). */
function flatten(schema: Schema | undefined): Schema[] {
  const s = deref(schema);
  if (!s) return [];
  // Every answer walks the same few schemas (a log entry has some twenty alternatives).
  const cached = flattened.get(s);
  if (cached) return cached;
  const own = { ...s };
  delete own.allOf;
  delete own.anyOf;
  const parts = [own, ...(s.allOf ?? []).flatMap((p: Schema) => flatten(p))];
  const alternatives = (s.anyOf ?? []).flatMap((p: Schema) => flatten(p));
  const result = [...parts, ...alternatives];
  flattened.set(s, result);
  return result;
}

/** A schema that names no fields (or allows any) does not limit them. */
function isOpen(schema: Schema): boolean {
  return (
    schema.additionalProperties === true ||
    typeof schema.additionalProperties === 'object' ||
    (schema.type === 'object' && !schema.properties && !schema.items)
  );
}
