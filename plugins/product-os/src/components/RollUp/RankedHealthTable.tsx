import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { describeChange, formatCount } from '../../lib/format';
import {
  formatRank,
  HEALTH_NOISE_POINTS,
  rankByHealth,
} from '../../lib/healthRank';
import { HeaderCell } from '../shared/HeaderCell';
import { healthColour, useStatusColours } from '../shared/statusColours';
import { shortRef } from '../ProductOsPage/refs';
import { useProductOsTabLink } from '../ProductOsPage/useProductOsTabLink';
import { RollUpRow } from './useRollUp';

/**
 * A team's or system's entities ranked least healthy first, with the window's errors,
 * incidents, deploys and open diagnoses of each; services whose scores differ by less than
 * the noise share a place ("=2"). Each name links to the entity's Product OS tab.
 */
export function RankedHealthTable(props: {
  rows: RollUpRow[];
  label: string;
  windowLabel: string;
}) {
  const colours = useStatusColours();
  const tabLink = useProductOsTabLink();
  const ranked = rankByHealth(props.rows);
  const anyTie = ranked.some(r => r.tied);
  return (
    <>
      <Table size="small" aria-label={props.label}>
        <TableHead>
          <TableRow>
            <HeaderCell align="right">Place</HeaderCell>
            <HeaderCell>Entity</HeaderCell>
            <HeaderCell align="right">Health</HeaderCell>
            <HeaderCell align="right">Errors</HeaderCell>
            <HeaderCell align="right">Open incidents</HeaderCell>
            <HeaderCell align="right">Incidents</HeaderCell>
            <HeaderCell align="right">Deploys</HeaderCell>
            <HeaderCell align="right">Open diagnoses</HeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {ranked.map(place => {
            const { row } = place;
            return (
              <TableRow key={row.entityRef}>
                <TableCell
                  align="right"
                  title={
                    place.tied ? 'A tie: the difference is noise' : undefined
                  }
                >
                  {formatRank(place)}
                </TableCell>
                <TableCell>
                  <Link to={tabLink(row.entityRef)}>
                    {row.title ?? shortRef(row.entityRef, 'component')}
                  </Link>
                </TableCell>
                <TableCell align="right">
                  <strong style={{ color: healthColour(row.score, colours) }}>
                    {row.score}
                  </strong>
                </TableCell>
                <TableCell align="right">
                  {formatCount(row.errors.events)} (
                  {describeChange(row.errors.events, row.errors.previousEvents)}
                  )
                </TableCell>
                <TableCell align="right">
                  {formatCount(row.incidents.open)}
                </TableCell>
                <TableCell align="right">
                  {formatCount(row.incidents.total)}
                </TableCell>
                <TableCell align="right">{formatCount(row.deploys)}</TableCell>
                <TableCell align="right">
                  {formatCount(row.openDiagnoses)}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Typography variant="caption" color="textSecondary" component="p">
        Least healthy first; errors, incidents and deploys of the{' '}
        {props.windowLabel}.
        {anyTie &&
          ` "=" marks a tie: scores less than ${HEALTH_NOISE_POINTS} points apart, with the same open incidents and diagnoses waiting, are ranked by name, not by noise.`}
      </Typography>
    </>
  );
}
