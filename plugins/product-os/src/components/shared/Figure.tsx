import { ReactNode } from 'react';
import Grid from '@material-ui/core/Grid';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';

/**
 * One headline number in a row of them (a `Grid` item, two a row on a phone, four on a wide
 * screen), named by its label for screen readers. `changed` marks a number that differs from
 * the page's load before (a live update), so the eye finds what moved.
 */
export function Figure(props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  changed?: boolean;
}) {
  return (
    <Grid item xs={6} md={3} component="section" aria-label={props.label}>
      <Typography variant="overline" component="h2">
        {props.label}
      </Typography>
      <Typography variant="h4" component="p">
        {props.value}
        {props.changed && (
          <Chip
            size="small"
            variant="outlined"
            label="changed"
            style={{ marginLeft: 8, verticalAlign: 'middle' }}
          />
        )}
      </Typography>
      {props.detail && (
        <Typography variant="body2" color="textSecondary" component="div">
          {props.detail}
        </Typography>
      )}
    </Grid>
  );
}
