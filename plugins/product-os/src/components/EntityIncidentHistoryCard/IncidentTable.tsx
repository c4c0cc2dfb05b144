import { Link } from '@backstage/core-components';
import { Incident } from '@internal/plugin-product-os-common';
import Button from '@material-ui/core/Button';
import { recordAnchorId } from '../../lib/anchors';
import { AlertChip, Column, LocalTime, ResponsiveTable } from '../shared';
import { INCIDENT_STATUS_LABELS, readableValue } from '../../lib/labels';
import { describeIncidentTimes } from './incidentTimes';

function columns(
  onShowTimeline: (incident: Incident) => void,
): Column<Incident>[] {
  return [
    {
      header: 'Incident',
      render: incident =>
        incident.url ? (
          <Link to={incident.url}>{incident.title}</Link>
        ) : (
          incident.title
        ),
    },
    {
      header: 'Urgency',
      render: incident =>
        incident.urgency === 'high' ? (
          <AlertChip label="High" />
        ) : (
          incident.urgency && readableValue(incident.urgency)
        ),
    },
    {
      header: 'Status',
      render: incident => INCIDENT_STATUS_LABELS[incident.status],
    },
    {
      header: 'Started',
      render: incident => <LocalTime time={incident.createdAt} />,
    },
    {
      header: 'Duration',
      render: incident => describeIncidentTimes(incident).duration,
    },
    {
      header: 'Time to ack',
      render: incident => describeIncidentTimes(incident).timeToAcknowledge,
    },
    {
      header: 'Time to resolve',
      render: incident => describeIncidentTimes(incident).timeToResolve,
    },
    {
      header: 'Log',
      hiddenHeader: true,
      render: incident => (
        <Button
          size="small"
          aria-label={`Timeline of ${incident.title}`}
          onClick={() => onShowTimeline(incident)}
        >
          Timeline
        </Button>
      ),
    },
  ];
}

/** Incidents with their urgency, status and response times. */
export function IncidentTable(props: {
  incidents: Incident[];
  onShowTimeline: (incident: Incident) => void;
}) {
  return (
    <ResponsiveTable
      label="Incidents"
      columns={columns(props.onShowTimeline)}
      rows={props.incidents}
      rowKey={incident => incident.id}
      rowId={incident => recordAnchorId('incident', incident.id)}
    />
  );
}
