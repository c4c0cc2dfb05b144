import { Link } from '@backstage/core-components';
import { Evidence } from '@internal/plugin-product-os-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';

/** Every evidence item, heaviest first, with a link to check it where there is one. */
export function EvidenceList(props: { evidence: Evidence[]; label: string }) {
  const items = [...props.evidence].sort((a, b) => b.weight - a.weight);
  return (
    <List dense disablePadding aria-label={props.label}>
      {items.map(item => (
        <ListItem key={item.id}>
          <ListItemText
            primary={
              item.url ? (
                <Link to={item.url}>{item.description}</Link>
              ) : (
                item.description
              )
            }
            // A weight is the evidence's share of the suspect's score, not a probability.
            secondary={`${item.kind} · weight ${item.weight.toFixed(2)}`}
          />
        </ListItem>
      ))}
    </List>
  );
}
