import { Link } from '@backstage/core-components';
import { Rollup, RollupMember } from '@internal/plugin-product-os-common';
import Typography from '@material-ui/core/Typography';
import { Column, ResponsiveTable } from '../shared';
import { HealthPenalties, HealthScore } from '../ProductOsPage/HealthScore';
import { shortRef } from '../ProductOsPage/refs';
import { useProductOsTabLink } from '../ProductOsPage/useProductOsTabLink';

/** "=2" for a rank two members share, "3" for one of its own. */
export function placeOf(member: RollupMember, members: RollupMember[]): string {
  const shared = members.some(
    other => other !== member && other.rank === member.rank,
  );
  return shared ? `=${member.rank}` : String(member.rank);
}

/**
 * A roll-up's services as the backend ranks them, worst first, with ties where scores differ
 * by less than its margin; each links to its Product OS tab, with its score (hover or focus
 * for every input) and what lowered it. On a phone, a list of entries.
 */
export function RankedMembers(props: { rollup: Rollup; label: string }) {
  const { rollup } = props;
  const tabLink = useProductOsTabLink();
  const columns: Column<RollupMember>[] = [
    {
      header: 'Place',
      align: 'right',
      render: member => placeOf(member, rollup.members),
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
  ];
  const ties = rollup.members.some(
    member => placeOf(member, rollup.members)[0] === '=',
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
        Least healthy first, over the last 7 days.
        {ties &&
          ` "=" marks a shared place: scores less than ${rollup.tieMargin} points above the first of a tie are not ranked by noise.`}
      </Typography>
    </>
  );
}
