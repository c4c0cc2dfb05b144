import { DiagnosisFeedback } from '@internal/plugin-product-os-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { DotSeparated, LocalTime } from '../shared';
import { STATUS_LABELS } from '../../lib/labels';

/** Who moved the diagnosis between statuses, when, and why. */
export function ReviewHistory(props: { history: DiagnosisFeedback[] }) {
  return (
    <List dense disablePadding aria-label="Review history">
      {props.history.map((entry, index) => (
        <ListItem key={index}>
          <ListItemText
            primary={`${STATUS_LABELS[entry.from]} → ${
              STATUS_LABELS[entry.to]
            }${entry.reason ? `: ${entry.reason}` : ''}`}
            secondary={
              <DotSeparated parts={[entry.by, <LocalTime time={entry.at} />]} />
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
