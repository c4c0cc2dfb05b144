import { Link } from '@backstage/core-components';
import {
  formatRank,
  Rollup,
  RollupMember,
} from '@internal/plugin-product-os-common';
import Typography from '@material-ui/core/Typography';
import { formatCount } from '../../lib/format';
import { Column, LocalTime, ResponsiveTable } from '../shared';
import { HealthPenalties, HealthScore } from '../ProductOsPage/HealthScore';
import { shortRef } from '../ProductOsPage/refs';
import { useProductOsTabLink } from '../ProductOsPage/useProductOsTabLink';

/**
 * A roll-up's services as the backend ranks them, worst first, with ties where scores differ
 * by less than its margin; each links to its Product OS tab, with its score (hover or focus
 * for every input), what lowered it, and its week's production deployments and incidents. Under
 * it, when the figures are from (`asOf`: the snapshot task's last run, or the request). On a
 * phone, a list of entries.
 */
export function RankedMembers(props: { rollup: Rollup; label: string }) {
  const { rollup } = props;
  const tabLink = useProductOsTabLink();
  const columns: Column<RollupMember>[] = [
    {
      header: 'Place',
      align: 'right',
      render: member => formatRank(member, rollup.members),
    },
    {
      header: 'Entity',
      render: member => (
        <Link to={tabLink(member.entityRef)}>
          {member.title ?? shortRef(member.entityRef, 'component')}
        </Link>
      ),
    },
    {
      header: 'Owner',
      render: member => (member.owner ? shortRef(member.owner, 'group') : '—'),
    },
    {
      header: 'Health',
      align: 'right',
      render: member => <HealthScore row={member} />,
    },
    {
      header: 'What lowers it',
      render: member => <HealthPenalties row={member} />,
    },
    {
      header: 'Deployments (7 days)',
      align: 'right',
      render: member => formatCount(member.deployments),
    },
    {
      header: 'Incidents (7 days)',
      align: 'right',
      render: member => formatCount(member.incidents),
    },
  ];
  const ties = rollup.members.some(member =>
    formatRank(member, rollup.members).startsWith('='),
  );
  return (
    <>
      <ResponsiveTable
        label={props.label}
        columns={columns}
        rows={rollup.members}
        rowKey={member => member.entityRef}
        titleColumn={1}
      />
      <Typography variant="caption" color="textSecondary" component="p">
        Least healthy first, over the last 7 days; figures as of{' '}
        <LocalTime time={rollup.asOf} now={Date.now()} />.
        {ties &&
          ` "=" marks a shared place: scores less than ${rollup.tieMargin} points above the first of a tie, with the same open incidents and diagnoses waiting, are not ranked by noise.`}
      </Typography>
    </>
  );
}
