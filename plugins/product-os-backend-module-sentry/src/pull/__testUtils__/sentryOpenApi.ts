import Ajv, { ValidateFunction } from 'ajv';
import { readFileSync } from 'fs';
import { resolve } from 'path';

/*
 * Sentry's published OpenAPI description (getsentry/sentry-api-schema, copied unchanged into the repository's
 * vendor-apis folder): the example answers the test server starts from, the schema its answers
 * are checked against, and the query parameters each operation takes.
 */

const SPEC_PATH = resolve(
  __dirname,
  '../../../../../vendor-apis/sentry-openapi-derefed.json',
);

type Operation = {
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<
    string,
    {
      content?: Record<
        string,
        { schema?: object; examples?: Record<string, { value: unknown }> }
      >;
    }
  >;
};

let spec: { paths: Record<string, Record<string, Operation>> } | undefined;
const validators = new Map<string, ValidateFunction>();

function operation(path: string): Operation {
  spec ??= JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
  const op = spec!.paths[path]?.get;
  if (!op) throw new Error(`Sentry's API has no GET ${path}`);
  return op;
}

/** The first documented example of the operation's 200 answer, as a fresh copy. */
export function exampleOf(path: string): any {
  const examples =
    operation(path).responses['200'].content?.['application/json']?.examples;
  const first = Object.values(examples ?? {})[0];
  if (!first) throw new Error(`No example answer for GET ${path}`);
  return structuredClone(first.value);
}

/** The query parameters the operation documents. */
export function queryParametersOf(path: string): Set<string> {
  return new Set(
    (operation(path).parameters ?? [])
      .filter(parameter => parameter.in === 'query')
      .map(parameter => parameter.name),
  );
}

/** Checks a 200 answer against the operation's schema; returns the errors, none when it fits. */
export function schemaErrors(path: string, body: unknown): string[] {
  let validate = validators.get(path);
  if (!validate) {
    const schema =
      operation(path).responses['200'].content?.['application/json']?.schema;
    // OpenAPI 3.0: `nullable`, and formats such as `double` that JSON Schema does not define.
    validate = new Ajv({
      strict: false,
      validateFormats: false,
      allErrors: true,
    }).compile(schema ?? {});
    validators.set(path, validate);
  }
  return validate(body)
    ? []
    : (validate.errors ?? []).map(
        e => `${path} ${e.instancePath} ${e.message}`,
      );
}
