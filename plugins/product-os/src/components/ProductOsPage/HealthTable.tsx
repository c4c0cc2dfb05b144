import { Link } from '@backstage/core-components';
import { EntityHealth } from '@internal/plugin-product-os-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { HeaderCell, useStatusColours } from '../shared';
import type { StatusColours } from '../shared/statusColours';
import { describeChange, formatCount } from '../../lib/format';
import { shortRef } from './refs';
import { useProductOsTabLink } from './useProductOsTabLink';

function scoreColor(score: number, colours: StatusColours): string {
  if (score < 50) return colours.bad;
  if (score < 80) return colours.fair;
  return colours.good;
}

function ScoreCell(props: { score: number }) {
  const color = scoreColor(props.score, useStatusColours());
  return (
    <TableCell align="right">
      <strong style={{ color }}>{props.score}</strong>
    </TableCell>
  );
}

/** Entities ranked by health score, least healthy first, each linked to its Product OS tab. */
export function HealthTable(props: { rows: EntityHealth[] }) {
  const tabLink = useProductOsTabLink();
  const rows = [...props.rows].sort((a, b) => a.score - b.score);
  return (
    <Table size="small" aria-label="Entity health">
      <TableHead>
        <TableRow>
          <HeaderCell>Entity</HeaderCell>
          <HeaderCell>Owner</HeaderCell>
          <HeaderCell align="right">Health</HeaderCell>
          <HeaderCell align="right">Errors (7 days)</HeaderCell>
          <HeaderCell align="right">Open incidents</HeaderCell>
          <HeaderCell align="right">Diagnoses needing a human</HeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.entityRef}>
            <TableCell>
              <Link to={tabLink(row.entityRef)}>
                {row.title ?? shortRef(row.entityRef, 'component')}
              </Link>
            </TableCell>
            <TableCell>
              {row.owner ? shortRef(row.owner, 'group') : '—'}
            </TableCell>
            <ScoreCell score={row.score} />
            <TableCell align="right">
              {formatCount(row.errors.events)} (
              {describeChange(row.errors.events, row.errors.previousEvents)})
            </TableCell>
            <TableCell align="right">
              {formatCount(row.openIncidents)}
            </TableCell>
            <TableCell align="right">
              {formatCount(row.diagnosesNeedingHuman)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
