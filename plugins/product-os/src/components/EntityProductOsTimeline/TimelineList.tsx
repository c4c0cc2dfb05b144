import Chip from '@material-ui/core/Chip';
import Link from '@material-ui/core/Link';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { LocalTime } from '../shared';
import { itemLink } from './itemLink';
import { TYPE_LABELS } from '../../lib/labels';
import { TimelineRow } from './lanes';

/** The items the chart shows, as a list: readable without the chart, and each one a link. */
export function TimelineList(props: { rows: TimelineRow[] }) {
  return (
    <List dense aria-label="Timeline items">
      {props.rows.map(({ item }) => {
        const href = itemLink(item);
        const external = Boolean(item.url);
        return (
          <ListItem key={`${item.type}-${item.id}`} divider>
            <ListItemIcon>
              <Chip size="small" label={TYPE_LABELS[item.type]} />
            </ListItemIcon>
            <ListItemText
              primary={
                href ? (
                  <Link
                    href={href}
                    target={external ? '_blank' : undefined}
                    rel={external ? 'noopener noreferrer' : undefined}
                  >
                    {item.title}
                  </Link>
                ) : (
                  item.title
                )
              }
              secondary={<LocalTime time={item.time} />}
            />
          </ListItem>
        );
      })}
    </List>
  );
}
