import { ReactNode } from 'react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/**
 * One headline number in a row of them (a `Grid` item, two a row on a phone, four on a wide
 * screen), named by its label for screen readers.
 */
export function Figure(props: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
}) {
  return (
    <Grid item xs={6} md={3} component="section" aria-label={props.label}>
      <Typography variant="overline" component="h2">
        {props.label}
      </Typography>
      <Typography variant="h4" component="p">
        {props.value}
      </Typography>
      {props.detail && (
        <Typography variant="body2" color="textSecondary" component="div">
          {props.detail}
        </Typography>
      )}
    </Grid>
  );
}
