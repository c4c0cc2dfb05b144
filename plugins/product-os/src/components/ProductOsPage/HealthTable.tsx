import { Link } from '@backstage/core-components';
import { EntityHealth } from '@internal/plugin-product-os-common';
import Typography from '@material-ui/core/Typography';
import { Column, ResponsiveTable } from '../shared';
import { describeChange, formatCount } from '../../lib/format';
import {
  formatRank,
  HEALTH_NOISE_POINTS,
  RankedHealth,
  rankByHealth,
} from '../../lib/healthRank';
import { HealthPenalties, HealthScore } from './HealthScore';
import { shortRef } from './refs';
import { useProductOsTabLink } from './useProductOsTabLink';

function columns(
  tabLink: (entityRef: string) => string,
): Column<RankedHealth>[] {
  return [
    { header: 'Place', align: 'right', render: place => formatRank(place) },
    {
      header: 'Entity',
      render: ({ row }) => (
        <Link to={tabLink(row.entityRef)}>
          {row.title ?? shortRef(row.entityRef, 'component')}
        </Link>
      ),
    },
    {
      header: 'Owner',
      render: ({ row }) => (row.owner ? shortRef(row.owner, 'group') : '—'),
    },
    {
      header: 'Health',
      align: 'right',
      render: ({ row }) => <HealthScore row={row} />,
    },
    {
      header: 'What lowers it',
      render: ({ row }) => <HealthPenalties row={row} />,
    },
    {
      header: 'Errors (7 days)',
      align: 'right',
      render: ({ row }) =>
        `${formatCount(row.errors.events)} (${describeChange(
          row.errors.events,
          row.errors.previousEvents,
        )})`,
    },
    {
      header: 'Open incidents',
      align: 'right',
      render: ({ row }) => formatCount(row.openIncidents),
    },
    {
      header: 'Diagnoses needing a human',
      align: 'right',
      render: ({ row }) => formatCount(row.diagnosesNeedingHuman),
    },
  ];
}

/**
 * Entities ranked least healthy first, each linked to its Product OS tab, with what lowered
 * its score. Scores apart by less than the noise share a place ("=2") and go by name.
 */
export function HealthTable(props: { rows: EntityHealth[] }) {
  const tabLink = useProductOsTabLink();
  const ranked = rankByHealth(props.rows);
  return (
    <>
      <ResponsiveTable
        label="Entity health"
        columns={columns(tabLink)}
        rows={ranked}
        rowKey={({ row }) => row.entityRef}
        titleColumn={1}
      />
      {ranked.some(place => place.tied) && (
        <Typography variant="caption" color="textSecondary" component="p">
          "=" marks a shared place: scores less than {HEALTH_NOISE_POINTS}{' '}
          points apart, with the same open incidents and diagnoses waiting, are
          listed by name, not by noise. Hover a score for what it is made of.
        </Typography>
      )}
    </>
  );
}
