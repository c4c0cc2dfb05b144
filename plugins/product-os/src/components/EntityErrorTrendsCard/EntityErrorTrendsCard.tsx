import { TimeWindowName } from '@internal/plugin-product-os-common';
import Typography from '@material-ui/core/Typography';
import { AsyncContent, NoData, useEntityQuery, WindowedCard } from '../shared';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { formatCount } from '../../lib/format';
import { bucketFor, describeWindow } from '../../lib/windows';
import { ErrorGroupsTable } from './ErrorGroupsTable';
import { ErrorVolumeChart } from './ErrorVolumeChart';

const TOP_GROUPS = 10;

/**
 * Error volume from Sentry over a chosen window, with deployments marked on the time axis
 * and the error groups with the most events. Needs the `sentry.io/project-slug` annotation.
 * @public
 */
export function EntityErrorTrendsCard() {
  return (
    <WindowedCard
      title="Error trends"
      source="Sentry"
      annotations={CARD_ANNOTATIONS.errors}
      defaultWindow="7d"
    >
      {window => <ErrorTrends window={window} />}
    </WindowedCard>
  );
}

function ErrorTrends(props: { window: TimeWindowName }) {
  const { window } = props;
  const bucket = bucketFor(window);
  const state = useEntityQuery(
    async (api, entity) => {
      const [trend, groups] = await Promise.all([
        api.getErrorTrend(entity, { window, bucket }),
        api.getErrors(entity, { window, limit: TOP_GROUPS }),
      ]);
      return { trend, groups: groups.items };
    },
    [window, bucket],
  );

  return (
    <AsyncContent state={state}>
      {({ trend, groups }) => {
        const events = trend.points.reduce(
          (sum, point) => sum + point.value,
          0,
        );
        if (events === 0 && groups.length === 0) {
          return (
            <NoData
              title="No errors"
              description={`Sentry reported no errors for this entity in the ${describeWindow(
                window,
              )}.`}
            />
          );
        }
        const label = `Error events per ${bucket} over the ${describeWindow(
          window,
        )}`;
        return (
          <>
            <Typography variant="h5" component="p">
              {formatCount(events)} events
            </Typography>
            <ErrorVolumeChart trend={trend} label={label} />
            <ErrorGroupsTable groups={groups} />
          </>
        );
      }}
    </AsyncContent>
  );
}
