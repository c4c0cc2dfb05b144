import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  DocumentNode,
  FieldNode,
  GraphQLSchema,
  Kind,
  parse,
  SelectionSetNode,
  validate,
  ValueNode,
} from 'graphql';

/**
 * GitHub's published GraphQL schema (`@octokit/graphql-schema`'s `schema.graphql`, the SDL of
 * api.github.com), so a query the pull sends with a misnamed field, a wrong argument or a
 * variable of the wrong type fails the test that sends it, as GitHub would refuse it.
 */
let shared: GraphQLSchema | undefined;

export function githubGraphqlSchema(): GraphQLSchema {
  // The published SDL defines two fields of `EnterpriseOwnerInfo` twice, which `graphql`'s
  // check of a schema refuses; the types the pull's queries use are unaffected.
  shared ??= buildSchema(fs.readFileSync(schemaFile(), 'utf8'), {
    assumeValidSDL: true,
  });
  return shared;
}

/** The package exports only its ESM entry, so its SDL file is found beside it on disk. */
function schemaFile(): string {
  for (const dir of require.resolve.paths('@octokit/graphql-schema') ?? []) {
    const file = path.join(dir, '@octokit', 'graphql-schema', 'schema.graphql');
    if (fs.existsSync(file)) return file;
  }
  throw new Error('@octokit/graphql-schema is not installed');
}

/** The query parsed, and what GitHub's schema finds wrong with it (empty when valid). */
export function checkQuery(query: string): {
  document?: DocumentNode;
  problems: string[];
} {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { problems: [String(error)] };
  }
  const problems = validate(githubGraphqlSchema(), document).map(
    error => error.message,
  );
  return { document, problems };
}

/**
 * What GitHub charges for a query, by its documented rule: every connection (a field with a
 * `first` or `last` argument) is one request for each page of its parent connections, at their
 * `first`/`last` size; the sum over a hundred, rounded, at least 1 point.
 */
export function queryCost(
  document: DocumentNode,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map(
    document.definitions.flatMap(definition =>
      definition.kind === Kind.FRAGMENT_DEFINITION
        ? [[definition.name.value, definition.selectionSet] as const]
        : [],
    ),
  );
  const sizeOf = (value: ValueNode): number => {
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE)
      return Number(variables[value.name.value] ?? 0);
    return 0;
  };
  let requests = 0;
  const walk = (set: SelectionSetNode | undefined, pages: number) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        walk(fragments.get(selection.name.value), pages);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, pages);
      } else {
        const field = selection as FieldNode;
        const size = field.arguments?.find(
          arg => arg.name.value === 'first' || arg.name.value === 'last',
        );
        if (size) {
          requests += pages;
          walk(field.selectionSet, pages * sizeOf(size.value));
        } else {
          walk(field.selectionSet, pages);
        }
      }
    }
  };
  for (const definition of document.definitions)
    if (definition.kind === Kind.OPERATION_DEFINITION)
      walk(definition.selectionSet, 1);
  return Math.max(1, Math.round(requests / 100));
}
