import { Link } from '@backstage/core-components';
import { ErrorGroup } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { AlertChip, HeaderCell, LocalTime, Sparkline } from '../shared';
import { recordAnchorId } from '../../lib/anchors';
import { formatCount } from '../../lib/format';

/** The error groups with the most events, with their trend and whether they are new. */
export function ErrorGroupsTable(props: { groups: ErrorGroup[] }) {
  return (
    <Table size="small" aria-label="Top error groups">
      <TableHead>
        <TableRow>
          <HeaderCell>Error</HeaderCell>
          <HeaderCell align="right">Events</HeaderCell>
          <HeaderCell>Trend</HeaderCell>
          <HeaderCell>First release</HeaderCell>
          <HeaderCell>Last seen</HeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.groups.map(group => (
          <TableRow key={group.id} id={recordAnchorId('error-group', group.id)}>
            <TableCell>
              <Box
                display="flex"
                alignItems="center"
                flexWrap="wrap"
                gridGap={4}
              >
                {group.permalink ? (
                  <Link to={group.permalink}>{group.title}</Link>
                ) : (
                  <span>{group.title}</span>
                )}
                {group.isNew && <AlertChip label="New" />}
                {group.isRegressed && <AlertChip label="Regressed" />}
              </Box>
              {group.culprit && (
                <Typography variant="caption" color="textSecondary">
                  {group.culprit}
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">{formatCount(group.count)}</TableCell>
            <TableCell>
              <Sparkline
                values={group.sparkline}
                label={`Events of ${group.title}`}
              />
            </TableCell>
            <TableCell>{group.firstRelease ?? '—'}</TableCell>
            <TableCell>
              <LocalTime time={group.lastSeen} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
