import {
  ChangeEvent,
  ChangeKind,
  TimeWindowName,
} from '@internal/plugin-product-os-common';
import { AsyncContent, NoData, useEntityQuery, WindowedCard } from '../shared';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { describeWindow } from '../../lib/windows';
import { ChangeList } from './ChangeList';

/** Commits are left out: the merged PRs and deployments that carry them say more. */
const SHOWN_KINDS: ChangeKind[] = ['deployment', 'pull_request', 'release'];

/**
 * Deployments, merged pull requests and releases of the entity's GitHub repository, newest
 * first. Needs the `github.com/project-slug` annotation.
 * @public
 */
export function EntityChangesCard() {
  return (
    <WindowedCard
      title="Changes"
      source="GitHub"
      annotations={CARD_ANNOTATIONS.changes}
      defaultWindow="7d"
    >
      {window => <Changes window={window} />}
    </WindowedCard>
  );
}

// The API already answers newest first; sorting again keeps the card right if it stops doing so.
function newestFirst(changes: ChangeEvent[]): ChangeEvent[] {
  return [...changes].sort(
    (a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt),
  );
}

function Changes(props: { window: TimeWindowName }) {
  const { window } = props;
  const state = useEntityQuery(
    (api, entity) => api.getChanges(entity, { window, kinds: SHOWN_KINDS }),
    [window],
  );
  return (
    <AsyncContent state={state}>
      {({ items }) =>
        items.length === 0 ? (
          <NoData
            title="No changes"
            description={`No deployments, merged pull requests or releases in the ${describeWindow(
              window,
            )}.`}
          />
        ) : (
          <ChangeList changes={newestFirst(items)} />
        )
      }
    </AsyncContent>
  );
}
