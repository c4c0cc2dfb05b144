import { Link } from '@backstage/core-components';
import {
  EntityHealth,
  formatRank,
  rankByHealth,
} from '@internal/plugin-product-os-common';
import Typography from '@material-ui/core/Typography';
import { Column, ResponsiveTable } from '../shared';
import { describeChange, formatCount } from '../../lib/format';
import { HealthPenalties, HealthScore } from './HealthScore';
import { shortRef } from './refs';
import { useProductOsTabLink } from './useProductOsTabLink';

type Ranked = EntityHealth & { rank: number };

function columns(
  tabLink: (entityRef: string) => string,
  ranked: Ranked[],
): Column<Ranked>[] {
  return [
    {
      header: 'Place',
      align: 'right',
      render: row => formatRank(row, ranked),
    },
    {
      header: 'Entity',
      render: row => (
        <Link to={tabLink(row.entityRef)}>
          {row.title ?? shortRef(row.entityRef, 'component')}
        </Link>
      ),
    },
    {
      header: 'Owner',
      render: row => (row.owner ? shortRef(row.owner, 'group') : '—'),
    },
    {
      header: 'Health',
      align: 'right',
      render: row => <HealthScore row={row} />,
    },
    {
      header: 'What lowers it',
      render: row => <HealthPenalties row={row} />,
    },
    {
      header: 'Errors (7 days)',
      align: 'right',
      render: row =>
        `${formatCount(row.errors.events)} (${describeChange(
          row.errors.events,
          row.errors.previousEvents,
        )})`,
    },
    {
      header: 'Open incidents',
      align: 'right',
      render: row => formatCount(row.openIncidents),
    },
    {
      header: 'Diagnoses needing a human',
      align: 'right',
      render: row => formatCount(row.diagnosesNeedingHuman),
    },
  ];
}

/**
 * Entities ranked least healthy first, each linked to its Product OS tab, with what lowered
 * its score. Places follow the roll-ups' rule (`rankByHealth` with the backend's margin), so a
 * service has the same place here as in its team's roll-up; a shared place reads "=2".
 */
export function HealthTable(props: {
  rows: EntityHealth[];
  tieMargin: number;
}) {
  const tabLink = useProductOsTabLink();
  const ranked = rankByHealth(props.rows, props.tieMargin);
  return (
    <>
      <ResponsiveTable
        label="Entity health"
        columns={columns(tabLink, ranked)}
        rows={ranked}
        rowKey={row => row.entityRef}
        titleColumn={1}
      />
      {ranked.some(row => formatRank(row, ranked).startsWith('=')) && (
        <Typography variant="caption" color="textSecondary" component="p">
          "=" marks a shared place: scores less than {props.tieMargin} points
          above the first of a tie, with the same open incidents and diagnoses
          waiting, are listed by name, not by noise. Hover a score for what it
          is made of.
        </Typography>
      )}
    </>
  );
}
