import { Link } from '@backstage/core-components';
import { Incident } from '@internal/plugin-product-os-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { recordAnchorId } from '../../lib/anchors';
import { LocalTime } from '../shared';
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
          <TableCell>Incident</TableCell>
          <TableCell>Urgency</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Started</TableCell>
          <TableCell>Duration</TableCell>
          <TableCell>Time to ack</TableCell>
          <TableCell>Time to resolve</TableCell>
          <TableCell />
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
                {incident.urgency && (
                  <Chip
                    size="small"
                    label={incident.urgency}
                    color={
                      incident.urgency === 'high' ? 'secondary' : 'default'
                    }
                  />
                )}
              </TableCell>
              <TableCell>{incident.status}</TableCell>
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
