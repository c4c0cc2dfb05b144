import { Link as PortalLink } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Link from '@material-ui/core/Link';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { DotSeparated, LocalTime } from '../shared';
import { RowLink } from './itemLink';
import { entityName } from '../../lib/caseLines';
import { TYPE_LABELS } from '../../lib/labels';
import { TimelineRow } from './lanes';

/** A link to `href`: a page of the portal through the router, anything else as it is. */
function RowAnchor(props: { href: string; children: string }) {
  const { href, children } = props;
  if (href.startsWith('/'))
    return <PortalLink to={href}>{children}</PortalLink>;
  const external = !href.startsWith('#');
  return (
    <Link
      href={href}
      target={external ? '_blank' : undefined}
      rel={external ? 'noopener noreferrer' : undefined}
    >
      {children}
    </Link>
  );
}

/** The items the chart shows, as a list: readable without the chart, and each one a link. */
export function TimelineList(props: { rows: TimelineRow[]; linkOf: RowLink }) {
  return (
    <List dense aria-label="Timeline items">
      {props.rows.map(row => {
        const { item } = row;
        const href = props.linkOf(row);
        return (
          <ListItem
            key={`${row.entityRef ?? ''}-${item.type}-${item.id}`}
            divider
          >
            <ListItemIcon>
              <Chip size="small" label={TYPE_LABELS[item.type]} />
            </ListItemIcon>
            <ListItemText
              primary={
                href ? (
                  <RowAnchor href={href}>{item.title}</RowAnchor>
                ) : (
                  item.title
                )
              }
              secondary={
                <DotSeparated
                  parts={[
                    row.entityRef && entityName(row.entityRef),
                    <LocalTime time={item.time} />,
                  ]}
                />
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
