import { HealthDay } from '@internal/plugin-product-os-common';
import { NoData } from '../shared';
import { TrendChart } from './TrendChart';

/** The 90-day trend of a roll-up, or why there is none yet. */
export function RollUpTrend(props: { history: HealthDay[]; label: string }) {
  if (props.history.length === 0) {
    return (
      <NoData
        title="No history yet"
        description="The daily snapshot task has not written a day for these services yet; it runs every hour."
      />
    );
  }
  return <TrendChart history={props.history} label={props.label} />;
}
