import { Link } from '@backstage/core-components';
import { ChangeEvent } from '@internal/plugin-product-os-common';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { recordAnchorId } from '../../lib/anchors';
import { DotSeparated, LocalTime } from '../shared';
import { changeStatusLabel, TYPE_LABELS } from '../../lib/labels';

function ChangeDetails(props: { change: ChangeEvent }) {
  const { change } = props;
  return (
    <DotSeparated
      parts={[
        change.number !== undefined ? `#${change.number}` : undefined,
        change.sha?.slice(0, 7),
        change.environment,
        change.status && changeStatusLabel(change.status),
        change.author,
        <LocalTime time={change.occurredAt} />,
      ]}
    />
  );
}

/** Changes in the order given (newest first), each labelled with its kind. */
export function ChangeList(props: { changes: ChangeEvent[] }) {
  return (
    <List dense aria-label="Changes">
      {props.changes.map(change => (
        <ListItem
          key={change.id}
          id={recordAnchorId('change', change.id)}
          divider
        >
          <ListItemIcon>
            <Chip
              size="small"
              label={TYPE_LABELS[change.kind]}
              color={change.kind === 'deployment' ? 'primary' : 'default'}
            />
          </ListItemIcon>
          <ListItemText
            primary={
              change.url ? (
                <Link to={change.url}>{change.title}</Link>
              ) : (
                change.title
              )
            }
            secondary={<ChangeDetails change={change} />}
          />
        </ListItem>
      ))}
    </List>
  );
}
