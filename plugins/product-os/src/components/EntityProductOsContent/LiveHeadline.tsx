import { useEffect, useRef, useState } from 'react';
import Typography from '@material-ui/core/Typography';
import { EntityOverview } from '@internal/plugin-product-os-common';
import { formatRelative } from '../../lib/time';
import {
  AsyncContent,
  useEntityQuery,
  useLiveRefresh,
  useReviewRevision,
} from '../shared';
import { HealthHeadline } from './HealthHeadline';

/** The headline's parts that can change between two loads, by the name the page shows. */
const PARTS: Array<[string, (o: EntityOverview) => unknown]> = [
  [
    'latest diagnosis',
    o =>
      o.latestDiagnosis &&
      `${o.latestDiagnosis.id} ${o.latestDiagnosis.status} ${o.latestDiagnosis.updatedAt}`,
  ],
  ['errors', o => o.errors.events],
  ['open incidents', o => o.incidents.open],
  ['open diagnoses', o => o.diagnoses.open],
  ['deploys', o => o.deploys],
];

/** What differs between two loads of the headline, in the page's words. */
export function changedParts(
  before: EntityOverview | undefined,
  after: EntityOverview,
): string[] {
  if (!before) return [];
  return PARTS.filter(([, read]) => read(before) !== read(after)).map(
    ([name]) => name,
  );
}

/** Re-renders every `intervalMs`, so "updated 3 min ago" stays true. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * This week's headline, kept up to date: loaded again after a review on the page and whenever the
 * entity's data change (signals, or polling while something is open), with when it was last
 * updated and what changed since the load before.
 */
export function LiveHeadline() {
  const { revision } = useReviewRevision();
  const live = useLiveRefresh();
  const state = useEntityQuery(
    (api, entity) => api.getOverview(entity, { window: '7d' }),
    [revision],
  );
  const [shown, setShown] = useState<{
    overview: EntityOverview;
    loadedAt: number;
    changed: string[];
  }>();
  const previous = useRef<EntityOverview | undefined>(undefined);
  const overview = state.value;
  useEffect(() => {
    if (!overview || overview === previous.current) return;
    setShown({
      overview,
      loadedAt: Date.now(),
      changed: changedParts(previous.current, overview),
    });
    previous.current = overview;
  }, [overview]);
  const { reportOpen } = live;
  useEffect(() => {
    if (overview)
      reportOpen(overview.incidents.open > 0 || overview.diagnoses.open > 0);
  }, [overview, reportOpen]);
  const now = useNow(30_000);

  return (
    <AsyncContent state={state}>
      {value => (
        <HealthHeadline
          overview={value}
          loadedAt={shown?.loadedAt ?? now}
          changed={shown?.changed}
          status={
            <Typography
              variant="body2"
              color="textSecondary"
              role="status"
              aria-label="Last updated"
            >
              Updated{' '}
              {formatRelative(
                shown?.loadedAt ?? now,
                Math.max(now, shown?.loadedAt ?? now),
              )}
              {shown?.changed.length
                ? ` · changed since the last load: ${shown.changed.join(', ')}`
                : ''}
              {live.live
                ? ''
                : ' · loads again every 30 s while something is open'}
            </Typography>
          }
        />
      )}
    </AsyncContent>
  );
}
