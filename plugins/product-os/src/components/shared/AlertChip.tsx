import { ReactElement } from 'react';
import Chip from '@material-ui/core/Chip';
import { useStatusColours } from './statusColours';

/**
 * A small chip that draws the eye (new, regressed, high urgency, a flag) and stays readable:
 * outlined, in a text colour of at least 4.5:1, where the theme's filled secondary colour
 * under white text is 4.2:1.
 */
export function AlertChip(props: { label: string; icon?: ReactElement }) {
  const colours = useStatusColours();
  return (
    <Chip
      size="small"
      variant="outlined"
      icon={props.icon}
      label={props.label}
      style={{ color: colours.bad, borderColor: colours.bad }}
    />
  );
}
