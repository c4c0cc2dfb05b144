import Ajv, { ValidateFunction } from 'ajv';

/**
 * Validators of GitHub's REST answers, from GitHub's own OpenAPI description (`@octokit/openapi`),
 * so a test server that answers with a misnamed or mistyped field fails the test that uses it.
 */
export class GitHubSchema {
  private static shared?: GitHubSchema;
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const spec = require('@octokit/openapi/generated/api.github.com.json');
    // OpenAPI adds keywords of its own (`nullable` is Ajv's; the rest are annotations).
    this.ajv = new Ajv({
      strict: false,
      validateFormats: false,
      allErrors: true,
    });
    this.ajv.addSchema(withNullTypes(spec) as object, 'github');
  }

  /** One instance per test file: compiling the description takes a second. */
  static get(): GitHubSchema {
    GitHubSchema.shared ??= new GitHubSchema();
    return GitHubSchema.shared;
  }

  /** The problems of `body` as the 200 answer of `GET <route>`, e.g. `/repos/{owner}/{repo}`. */
  problems(route: string, body: unknown): string[] {
    let validate = this.validators.get(route);
    if (!validate) {
      const pointer = route.replace(/~/g, '~0').replace(/\//g, '~1');
      validate = this.ajv.compile({
        $ref: `github#/paths/${pointer}/get/responses/200/content/application~1json/schema`,
      });
      this.validators.set(route, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      error => `${route} ${error.instancePath || '/'} ${error.message}`,
    );
  }
}

/**
 * OpenAPI 3.0's `nullable: true` beside a `$ref` or an `allOf` (no `type` of its own), which Ajv
 * refuses, as the JSON Schema it means: the schema or null.
 */
function withNullTypes(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withNullTypes);
  if (typeof node !== 'object' || node === null) return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const mapped = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, withNullTypes(value)]),
  );
  if (nullable !== true) return mapped;
  if ('type' in mapped) return { ...mapped, nullable: true };
  return { anyOf: [mapped, { type: 'null' }] };
}
