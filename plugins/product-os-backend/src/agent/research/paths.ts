/** Extensions a source file and what it is compiled to may differ in. */
const SCRIPT_EXTENSIONS = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/i;
/** File names so common that sharing only the name says nothing. */
const GENERIC_NAMES = new Set([
  'index',
  'main',
  'utils',
  'util',
  'helpers',
  'types',
  'app',
  'server',
]);

/** Path segments of a stack frame's filename or a changed file, without scheme or prefix. */
export function pathSegments(path: string): string[] {
  const bare = path
    .replace(/^[a-z]+:\/\/\/?/i, '') // app:///, webpack://, file:///
    .replace(/[?#].*$/, '')
    .replace(/\\/g, '/');
  return bare
    .split('/')
    .filter(segment => segment !== '' && segment !== '.' && segment !== '~')
    .map(segment => segment.toLowerCase());
}

function sameSegment(a: string, b: string, last: boolean): boolean {
  if (a === b) return true;
  // dist/cart.js in a stack trace is src/cart.ts in the repository.
  return (
    last &&
    a.replace(SCRIPT_EXTENSIONS, '') === b.replace(SCRIPT_EXTENSIONS, '')
  );
}

/**
 * How well a changed file matches a stack frame's file, 0 to 1, by path suffix: 1 when one path
 * ends with the whole of the other (a deployed `/app/services/checkout/src/cart.ts` and the
 * repository's `services/checkout/src/cart.ts`) or they share the file and its folder; 0.3 when
 * only the file name matches, unless the name is as common as `index.ts`; 0 otherwise.
 */
export function pathMatch(frameFile: string, changedFile: string): number {
  const frame = pathSegments(frameFile);
  const file = pathSegments(changedFile);
  let shared = 0;
  while (
    shared < frame.length &&
    shared < file.length &&
    sameSegment(
      frame[frame.length - 1 - shared],
      file[file.length - 1 - shared],
      shared === 0,
    )
  ) {
    shared++;
  }
  if (shared === 0) return 0;
  if (shared >= 2 || shared === frame.length || shared === file.length)
    return 1;
  const name = file[file.length - 1].replace(/\.[^.]*$/, '');
  return GENERIC_NAMES.has(name) ? 0 : 0.3;
}

/**
 * Whether a frame's file is a built bundle (minified, content-hashed, no source map) that no
 * changed file can be recognised in: then code overlap says nothing either way.
 */
export function isOpaque(path: string): boolean {
  const name = path.split(/[\\/]/).pop() ?? '';
  return (
    /\.min\.js$/i.test(name) ||
    /[.-][0-9a-f]{6,}\.(js|mjs|cjs)$/i.test(name) ||
    /(^|\/)(static\/js|chunks?)\/[^/]*\.js$/i.test(path)
  );
}

/** The key files are indexed by: the file name without a script extension, lower case. */
export function stemOf(path: string): string {
  const segments = pathSegments(path);
  return (segments[segments.length - 1] ?? '').replace(SCRIPT_EXTENSIONS, '');
}

/** The last segment of a path, for descriptions. */
export function fileName(path: string): string {
  return path.replace(/\\/g, '/').split('/').filter(Boolean).pop() ?? path;
}

/**
 * Dependency manifests and lock files: a change of only these (a library bump) has no code of
 * its own that a stack frame could be in.
 */
const MANIFEST =
  /(^|\/)(package\.json|yarn\.lock|package-lock\.json|pnpm-lock\.yaml|requirements[^/]*\.txt|poetry\.lock|pyproject\.toml|Pipfile(\.lock)?|pom\.xml|build\.gradle(\.kts)?|gradle\.lockfile|go\.(mod|sum)|Gemfile(\.lock)?|Cargo\.(toml|lock))$/i;

export function isManifest(path: string): boolean {
  return MANIFEST.test(path);
}
