import { Link } from '@backstage/core-components';
import { Incident } from '@internal/plugin-product-os-common';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { recordAnchorId } from '../../lib/anchors';
import { AlertChip, HeaderCell, LocalTime, VisuallyHidden } from '../shared';
import { INCIDENT_STATUS_LABELS, readableValue } from '../../lib/labels';
import { describeIncidentTimes } from './incidentTimes';

/** Incidents with their urgency, status and response times. */
export function IncidentTable(props: {
  incidents: Incident[];
  onShowTimeline: (incident: Incident) => void;
}) {
  return (
    <Table size="small" aria-label="Incidents">
      <TableHead>
        <TableRow>
          <HeaderCell>Incident</HeaderCell>
          <HeaderCell>Urgency</HeaderCell>
          <HeaderCell>Status</HeaderCell>
          <HeaderCell>Started</HeaderCell>
          <HeaderCell>Duration</HeaderCell>
          <HeaderCell>Time to ack</HeaderCell>
          <HeaderCell>Time to resolve</HeaderCell>
          <HeaderCell>
            <VisuallyHidden>Log</VisuallyHidden>
          </HeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.incidents.map(incident => {
          const times = describeIncidentTimes(incident);
          return (
            <TableRow
              key={incident.id}
              id={recordAnchorId('incident', incident.id)}
            >
              <TableCell>
                {incident.url ? (
                  <Link to={incident.url}>{incident.title}</Link>
                ) : (
                  incident.title
                )}
              </TableCell>
              <TableCell>
                {incident.urgency === 'high' ? (
                  <AlertChip label="High" />
                ) : (
                  incident.urgency && readableValue(incident.urgency)
                )}
              </TableCell>
              <TableCell>{INCIDENT_STATUS_LABELS[incident.status]}</TableCell>
              <TableCell>
                <LocalTime time={incident.createdAt} />
              </TableCell>
              <TableCell>{times.duration}</TableCell>
              <TableCell>{times.timeToAcknowledge}</TableCell>
              <TableCell>{times.timeToResolve}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  aria-label={`Timeline of ${incident.title}`}
                  onClick={() => props.onShowTimeline(incident)}
                >
                  Timeline
                </Button>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
