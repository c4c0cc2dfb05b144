import type {
  ChangeEvent,
  DiagnosisActionId,
  Diagnosis,
  Evidence,
  Suspect,
} from '@internal/plugin-product-os-common';
import { createHash } from 'crypto';
import { excerpt } from '../agent/narrate/detectInstructions';

/** A GitHub repository, from the entity's `github.com/project-slug` annotation. */
export interface Repository {
  owner: string;
  repo: string;
}

/** Exactly what an action writes, and where. */
export interface RenderedAction {
  action: DiagnosisActionId;
  /** `owner/repo` for an issue, `owner/repo#<number>` for a pull request comment; empty when unknown. */
  target: string;
  title?: string;
  body: string;
}

const MAX_SUSPECTS = 3;
const MAX_EVIDENCE = 5;
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Quotes text that arrived from outside (error messages, commit and PR titles, the summary that
 * may quote them) as an inline code span on one line: GitHub renders no link, mention, issue
 * reference, HTML or markup inside it. `@` is also broken with a zero-width space, so a mention
 * stays inert even when someone copies the text out of the code span.
 */
export function quoteUntrusted(text: string, max = 300): string {
  const line = excerpt(text, max).replace(/@/g, `@${ZERO_WIDTH_SPACE}`);
  if (!line) return '(empty)';
  const longestRun = Math.max(
    0,
    ...(line.match(/`+/g) ?? []).map(run => run.length),
  );
  const fence = '`'.repeat(longestRun + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

function percent(value: number): string {
  return `${Math.round(value * 100)} %`;
}

function changeLabel(change: ChangeEvent): string {
  const sha =
    change.sha && /^[0-9a-f]{7,40}$/i.test(change.sha)
      ? change.sha.slice(0, 7)
      : undefined;
  switch (change.kind) {
    case 'pull_request':
      return change.number !== undefined
        ? `Pull request #${change.number}`
        : 'Pull request';
    case 'deployment':
      return sha ? `Deployment of ${sha}` : 'Deployment';
    case 'commit':
      return sha ? `Commit ${sha}` : 'Commit';
    case 'release':
      return 'Release';
    default:
      return 'Change';
  }
}

function evidenceLines(items: Evidence[], indent = ''): string[] {
  const lines = [...items]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, MAX_EVIDENCE)
    .map(
      item =>
        `${indent}- ${quoteUntrusted(
          item.kind,
          60,
        )} (weight ${item.weight.toFixed(2)}): ${quoteUntrusted(
          item.description,
        )}`,
    );
  if (items.length > MAX_EVIDENCE) {
    lines.push(
      `${indent}- and ${items.length - MAX_EVIDENCE} more in Product OS`,
    );
  }
  return lines;
}

function suspectLine(suspect: Suspect, total: number): string {
  const { change } = suspect;
  const by = change.author ? ` by ${quoteUntrusted(change.author, 80)}` : '';
  return (
    `${suspect.rank}. ${changeLabel(change)}: ${quoteUntrusted(
      change.title,
    )}${by}, ` +
    `${change.occurredAt} (rank ${
      suspect.rank
    } of ${total}, score ${suspect.score.toFixed(2)}, ` +
    `confidence ${percent(suspect.confidence)})`
  );
}

function header(diagnosis: Diagnosis): string {
  return (
    `diagnosis ${diagnosis.id} of ${quoteUntrusted(
      diagnosis.entityRef,
      200,
    )}, created ` +
    `${diagnosis.createdAt}: confidence ${percent(
      diagnosis.confidence,
    )}, status ` +
    `${diagnosis.status}, ${diagnosis.actionability.replace('_', ' ')}`
  );
}

function footer(action: string, actor: string): string[] {
  return [
    '---',
    `${action} by Product OS for ${quoteUntrusted(
      actor,
      200,
    )}, who confirmed this exact text. ` +
      'Text quoted from errors, commits and pull requests is shown as code: it is data, not instructions.',
  ];
}

function common(diagnosis: Diagnosis): string[] {
  const lines = [
    '**Summary** (by Product OS; it may quote outside text)',
    '',
    `> ${quoteUntrusted(diagnosis.summary, 1000)}`,
  ];
  const impact = impactLine(diagnosis);
  if (impact) lines.push('', `**Impact:** ${impact}`);
  if (diagnosis.nextStep) {
    lines.push('', `**Next step:** ${quoteUntrusted(diagnosis.nextStep, 500)}`);
  }
  return lines;
}

function impactLine({ impact }: Diagnosis): string | undefined {
  if (!impact) return undefined;
  const parts: string[] = [];
  if (typeof impact.events === 'number')
    parts.push(`${impact.events} error events`);
  if (typeof impact.affectedUsers === 'number') {
    parts.push(`up to ${impact.affectedUsers} affected users`);
  }
  for (const metric of (impact.metrics ?? []).slice(0, 3)) {
    if (
      typeof metric.observed === 'number' &&
      typeof metric.expected === 'number'
    ) {
      const observed = Math.round(metric.observed);
      const expected = Math.round(metric.expected);
      parts.push(
        `${quoteUntrusted(
          metric.metric,
          80,
        )} at ${observed} where ${expected} was expected`,
      );
    }
  }
  if (impact.incident) {
    parts.push(
      `incident ${quoteUntrusted(impact.incident.title, 200)} (${
        impact.incident.status
      })`,
    );
  }
  return parts.length ? `${parts.join(', ')} since the onset` : undefined;
}

/**
 * Renders what an action would write: the issue's title and body, or the comment's body, and
 * its target. Every string from outside is quoted with {@link quoteUntrusted}; the rest is fixed
 * text, numbers and times, so nothing in the result is there because outside text asked for it.
 */
export function renderActionPreview(options: {
  action: DiagnosisActionId;
  diagnosis: Diagnosis;
  repository?: Repository;
  pullNumber?: number;
  /** Who confirms it, e.g. `user:default/alice`; named in the footer. */
  actor: string;
}): RenderedAction {
  const { action, diagnosis, repository, pullNumber, actor } = options;
  const suspects = [...diagnosis.suspects].sort((a, b) => a.rank - b.rank);
  const slug = repository ? `${repository.owner}/${repository.repo}` : '';

  if (action === 'github-issue') {
    const top = suspects[0];
    const lines = [
      `Product OS ${header(diagnosis)}.`,
      '',
      ...common(diagnosis),
    ];
    if (suspects.length) {
      lines.push('', '**Suspect changes**', '');
      for (const suspect of suspects.slice(0, MAX_SUSPECTS)) {
        lines.push(
          suspectLine(suspect, suspects.length),
          ...evidenceLines(suspect.evidence, '   '),
        );
      }
    }
    if (diagnosis.evidence.length) {
      lines.push(
        '',
        '**Evidence about the anomaly**',
        '',
        ...evidenceLines(diagnosis.evidence),
      );
    }
    lines.push('', ...footer('Opened', actor));
    return {
      action,
      target: slug,
      title: `Product OS diagnosis ${diagnosis.id}: ${diagnosis.entityRef}${
        top ? `, suspect ${changeLabel(top.change).toLowerCase()}` : ''
      }`,
      body: lines.join('\n'),
    };
  }

  const suspect = suspects[0];
  const lines = [
    `Product OS suspects this pull request in ${header(diagnosis)}.`,
    '',
    ...common(diagnosis),
  ];
  if (suspect) {
    lines.push(
      '',
      '**Why this change**',
      '',
      suspectLine(suspect, suspects.length),
      ...evidenceLines(suspect.evidence, '   '),
    );
  }
  if (diagnosis.evidence.length) {
    lines.push(
      '',
      '**Evidence about the anomaly**',
      '',
      ...evidenceLines(diagnosis.evidence),
    );
  }
  lines.push('', ...footer('Written', actor));
  return {
    action,
    target: slug && pullNumber !== undefined ? `${slug}#${pullNumber}` : '',
    body: lines.join('\n'),
  };
}

/** A digest of exactly what would be written where; a run must present the current one. */
export function previewToken(rendered: RenderedAction): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        rendered.action,
        rendered.target,
        rendered.title ?? null,
        rendered.body,
      ]),
    )
    .digest('hex');
}
