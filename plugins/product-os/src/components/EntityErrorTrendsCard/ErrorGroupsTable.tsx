import { Link } from '@backstage/core-components';
import {
  ErrorGroup,
  GITHUB_PROJECT_SLUG_ANNOTATION,
} from '@internal/plugin-product-os-common';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  AlertChip,
  Column,
  LocalTime,
  ResponsiveTable,
  Sparkline,
} from '../shared';
import { recordAnchorId } from '../../lib/anchors';
import { formatCount } from '../../lib/format';
import { withRepositoryPaths } from '../../lib/sourcePaths';

function columns(repositorySlug?: string): Column<ErrorGroup>[] {
  return [
    {
      header: 'Error',
      render: group => (
        <>
          <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={4}>
            {group.permalink ? (
              <Link to={group.permalink}>{group.title}</Link>
            ) : (
              <span>{group.title}</span>
            )}
            {group.isNew && <AlertChip label="New" />}
            {group.isRegressed && <AlertChip label="Regressed" />}
          </Box>
          {group.culprit && (
            // A path has no spaces to wrap at; it may break anywhere rather than widen the table.
            <Typography
              variant="caption"
              color="textSecondary"
              component="div"
              style={{ overflowWrap: 'anywhere' }}
            >
              {withRepositoryPaths(group.culprit, repositorySlug)}
            </Typography>
          )}
        </>
      ),
    },
    {
      header: 'Events',
      align: 'right',
      render: group => formatCount(group.count),
    },
    {
      header: 'Trend',
      render: group => (
        <Sparkline
          values={group.sparkline}
          label={`Events of ${group.title}`}
        />
      ),
    },
    { header: 'First release', render: group => group.firstRelease ?? '—' },
    {
      header: 'Last seen',
      render: group => <LocalTime time={group.lastSeen} />,
    },
  ];
}

/**
 * The error groups with the most events, with their trend and whether they are new. Files in
 * a culprit read as paths in the entity's repository, not the machine's that ran the code.
 */
export function ErrorGroupsTable(props: { groups: ErrorGroup[] }) {
  const { entity } = useEntity();
  const repositorySlug =
    entity.metadata.annotations?.[GITHUB_PROJECT_SLUG_ANNOTATION];
  return (
    <ResponsiveTable
      label="Top error groups"
      columns={columns(repositorySlug)}
      rows={props.groups}
      rowKey={group => group.id}
      rowId={group => recordAnchorId('error-group', group.id)}
    />
  );
}
