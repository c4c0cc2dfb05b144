import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { productOsApiRef } from '../../api';
import { AsyncContent, NoData } from '../shared';
import { loadTrend } from './loadTrend';
import { TrendChart } from './TrendChart';

/** The 90-day trend of the given entities' figures, loaded when it is first shown. */
export function RollUpTrend(props: { entityRefs: string[]; label: string }) {
  const api = useApi(productOsApiRef);
  const key = props.entityRefs.join(',');
  const state = useAsync(
    () => loadTrend(api, props.entityRefs),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
  return (
    <AsyncContent state={state}>
      {days =>
        days.length === 0 ? (
          <NoData
            title="No history yet"
            description="No errors, deploys or incidents in the last 90 days."
          />
        ) : (
          <TrendChart days={days} label={props.label} />
        )
      }
    </AsyncContent>
  );
}
