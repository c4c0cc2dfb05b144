import { Link } from '@backstage/core-components';
import { DiagnosisImpact } from '@internal/plugin-product-os-common';
import Typography from '@material-ui/core/Typography';
import { describeChange, formatCount } from '../../lib/format';
import { INCIDENT_STATUS_LABELS } from '../../lib/labels';

/** What the anomaly cost: error events, users, key metrics below baseline, a linked incident. */
export function DiagnosisImpactLine(props: { impact: DiagnosisImpact }) {
  const { events, affectedUsers, metrics = [], incident } = props.impact;
  const parts = [
    events !== undefined ? `${formatCount(events)} error events` : undefined,
    affectedUsers !== undefined
      ? `up to ${formatCount(affectedUsers)} affected users`
      : undefined,
    ...metrics.map(
      m => `${m.metric} ${describeChange(m.observed, m.expected)} vs expected`,
    ),
  ].filter(Boolean);
  if (parts.length === 0 && !incident) return null;
  return (
    <Typography variant="body2" paragraph>
      <strong>Impact:</strong> {parts.join(' · ')}
      {incident && (
        <>
          {parts.length > 0 && ' · '}
          incident{' '}
          {incident.url ? (
            <Link to={incident.url}>{incident.title}</Link>
          ) : (
            incident.title
          )}{' '}
          ({INCIDENT_STATUS_LABELS[incident.status]})
        </>
      )}
    </Typography>
  );
}
