/*
 * How a change is undone, told from the change events alone: the one reading of "rollback" and
 * "revert" that DORA's rework rate and the diagnosis outcomes both use.
 */

/** A revert as git and GitHub title it: `Revert "…"`. */
const REVERT_TITLE = /^revert\b/i;
/** The subject a revert names: `Revert "Add rates cache (#812)"` names `Add rates cache (#812)`. */
const REVERTED_SUBJECT = /^revert\s*[:"'“]\s*(.*?)\s*["'”]?\s*$/i;
/** A squash merge's pull request number at the end of a subject. */
const PR_SUFFIX = /\s*\(#\d+\)$/;

/** Whether a commit or pull request title says it reverts something. */
export function isRevertTitle(title: string): boolean {
  return REVERT_TITLE.test(title);
}

/**
 * Whether a revert's title names the change titled `original` (the quoted subject, compared
 * without case, spacing or a trailing `(#123)`, which a squash merge adds to one and not the
 * other).
 */
export function revertsTitle(revert: string, original: string): boolean {
  if (!isRevertTitle(revert)) return false;
  const subject = REVERTED_SUBJECT.exec(revert.trim())?.[1];
  if (!subject) return false;
  return normalTitle(subject) === normalTitle(original);
}

function normalTitle(title: string): string {
  return title.replace(PR_SUFFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Whether a deployment of `sha` rolls back: it deploys a commit that was deployed before
 * (`deployedBefore`), and not the one running just before it (`previousSha`), which is a
 * redeploy.
 */
export function isRollback(
  sha: string | undefined,
  previousSha: string | undefined,
  deployedBefore: ReadonlySet<string>,
): boolean {
  return sha !== undefined && sha !== previousSha && deployedBefore.has(sha);
}
