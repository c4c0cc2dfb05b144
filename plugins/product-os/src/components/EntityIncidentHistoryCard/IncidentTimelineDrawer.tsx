import { Link } from '@backstage/core-components';
import { Incident } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Drawer from '@material-ui/core/Drawer';
import IconButton from '@material-ui/core/IconButton';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import CloseIcon from '@material-ui/icons/Close';
import { DotSeparated, LocalTime } from '../shared';

/** The log of one incident, oldest entry first, in a side drawer. */
export function IncidentTimelineDrawer(props: {
  incident?: Incident;
  onClose: () => void;
}) {
  const { incident, onClose } = props;
  const entries = incident
    ? [...incident.timeline].sort(
        (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt),
      )
    : [];
  return (
    <Drawer anchor="right" open={Boolean(incident)} onClose={onClose}>
      {incident && (
        <Box
          width={420}
          p={2}
          role="region"
          aria-label={`Timeline of ${incident.title}`}
        >
          <Box
            display="flex"
            alignItems="center"
            justifyContent="space-between"
          >
            <Typography variant="h6" component="h2">
              {incident.title}
            </Typography>
            <IconButton aria-label="Close timeline" onClick={onClose}>
              <CloseIcon />
            </IconButton>
          </Box>
          {incident.url && <Link to={incident.url}>Open in PagerDuty</Link>}
          {entries.length === 0 ? (
            <Typography color="textSecondary">
              PagerDuty sent no log entries for this incident.
            </Typography>
          ) : (
            <List dense>
              {entries.map((entry, index) => (
                <ListItem key={index} divider>
                  <ListItemText
                    primary={entry.message}
                    secondary={
                      <DotSeparated
                        parts={[
                          <LocalTime time={entry.occurredAt} />,
                          entry.actor,
                        ]}
                      />
                    }
                  />
                </ListItem>
              ))}
            </List>
          )}
        </Box>
      )}
    </Drawer>
  );
}
