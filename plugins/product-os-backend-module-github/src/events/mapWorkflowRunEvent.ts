import type { GitHubChange } from './GitHubChange';
import { PayloadObject } from './payload';

/**
 * A completed workflow run on the default branch becomes a change of kind `change`, with the
 * run's conclusion as its status. Runs are often how code reaches production when a team does
 * not use GitHub deployments; runs on other branches ship nothing and are skipped, as are runs
 * that have not completed.
 */
export function mapWorkflowRunEvent(payload: PayloadObject): GitHubChange[] {
  if (payload.string('action') !== 'completed') return [];
  const run = payload.object('workflow_run');
  const defaultBranch = payload
    .object('repository')
    .optionalString('default_branch');
  if (!defaultBranch || run.optionalString('head_branch') !== defaultBranch)
    return [];
  const name =
    payload.optionalObject('workflow')?.optionalString('name') ??
    run.optionalString('name') ??
    'Workflow';
  const displayTitle = run.optionalString('display_title');
  return [
    {
      kind: 'change',
      externalId: run.id('id'),
      title:
        displayTitle && displayTitle !== name
          ? `${name}: ${displayTitle}`
          : name,
      author: (
        run.optionalObject('triggering_actor') ?? run.optionalObject('actor')
      )?.optionalString('login'),
      sha: run.optionalString('head_sha'),
      status: run.optionalString('conclusion') ?? run.optionalString('status'),
      url: run.optionalString('html_url'),
      occurredAt: run.optionalTime('run_started_at') ?? run.time('created_at'),
      finishedAt: run.optionalTime('updated_at'),
    },
  ];
}
