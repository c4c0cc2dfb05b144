/*
 * Stack frames name files as the machine that ran the code saw them: a build agent's home,
 * a container's /app, a bundler's webpack:// scheme, a Windows drive. Readers know the
 * repository, so that is the path they are shown.
 */

/** Folders a build or runtime puts a checkout under, before the repository's own paths. */
const MACHINE_PREFIXES = [
  /^(?:home|Users)\/[^/]+\//, // a person's or build agent's home
  /^usr\/src\/app\//,
  /^(?:srv|opt)\/app\//,
  /^var\/task\//, // AWS Lambda
  /^app\//, // most Docker images
  /^workspace\//,
];

/**
 * The path of a stack frame's file as it reads in its repository: `/home/ci/build/src/cart.ts`
 * with repository `acme/build` reads `src/cart.ts`. Without a repository, the machine's known
 * prefixes are taken off; a library's file keeps the path from its `node_modules/`.
 */
export function repositoryPath(path: string, repositorySlug?: string): string {
  const slashed = path.replace(/\\/g, '/');
  // webpack://app/./, app:///, file:///: a bundler's or runtime's name for the file.
  const schemeless = slashed.replace(
    /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/(?:\.\/)?/i,
    '',
  );
  const bare = schemeless
    .replace(/^[a-z]:\//i, '') // C:/
    .replace(/^\/+/, '');
  const modules = bare.lastIndexOf('node_modules/');
  if (modules >= 0) return bare.slice(modules);
  const repository = repositorySlug?.split('/').pop()?.toLowerCase();
  if (repository) {
    const segments = bare.split('/');
    const at = segments.map(s => s.toLowerCase()).lastIndexOf(repository);
    if (at >= 0 && at < segments.length - 1) {
      return segments.slice(at + 1).join('/');
    }
  }
  const prefix = MACHINE_PREFIXES.find(pattern => pattern.test(bare));
  if (prefix) return bare.replace(prefix, '');
  return schemeless === slashed ? path : bare;
}

/**
 * Every file path in a text such as a culprit (`charge(/app/src/payments/charge.ts)`) as it
 * reads in the repository. Text without a path is returned unchanged (`POST /api/pay` has no
 * file extension, so it is a route, not a file).
 */
export function withRepositoryPaths(
  text: string,
  repositorySlug?: string,
): string {
  return text.replace(
    /(?:[a-z][a-z0-9+.-]*:\/\/|[a-z]:[\\/]|\/)[^\s()<>"']*\.[a-z0-9]{1,5}\b/gi,
    match => repositoryPath(match, repositorySlug),
  );
}
