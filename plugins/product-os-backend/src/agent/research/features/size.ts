import type { Candidate, FeatureValue } from '../../types';

/** Paths whose change carries more risk than their size says: schema, dependencies, config. */
const RISKY =
  /(^|\/)(migrations?|schema|\.env|config|package\.json|yarn\.lock|package-lock\.json|pom\.xml|go\.(mod|sum)|gemfile\.lock|requirements\.txt|dockerfile|helm|terraform|k8s)(\/|\.|$)/i;

/**
 * The size and risk of the change: more files changed, more to go wrong (logarithmically, 40
 * files is the most that counts), plus a fixed amount when it touches schema, dependencies or
 * configuration. A change event without files (a flag or config change) is of middling risk.
 */
export function size(candidate: Candidate): FeatureValue {
  const files = candidate.files.length;
  if (files === 0) {
    const value = candidate.change.kind === 'change' ? 0.3 : 0.1;
    return {
      name: 'size',
      value,
      description:
        candidate.change.kind === 'change'
          ? 'an operational change (configuration, flag or infrastructure) with no files'
          : 'no changed files are known',
      facts: { files: 0 },
    };
  }
  const risky = candidate.files.filter(file => RISKY.test(file));
  const value = Math.min(
    1,
    0.7 * (Math.log2(1 + files) / Math.log2(41)) + (risky.length ? 0.3 : 0),
  );
  return {
    name: 'size',
    value,
    description: `changed ${files} file${files === 1 ? '' : 's'}${
      risky.length
        ? `, including ${risky.length} that ${
            risky.length === 1 ? 'carries' : 'carry'
          } risk (schema, dependencies or configuration)`
        : ''
    }`,
    facts: { files, riskyFiles: risky.length },
  };
}
