import {
  TIME_WINDOWS,
  TimeWindowName,
} from '@internal/plugin-product-os-common';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';

/** Toggle buttons readable and visibly focused; shared by every toggle of the plugin. */
export const useToggleStyles = makeStyles(theme => ({
  // MUI's unselected toggle text is 2.7:1 on paper; text.secondary is 4.5:1 or more.
  button: {
    color: theme.palette.text.secondary,
    '&$selected': { color: theme.palette.text.primary },
  },
  selected: {},
  // Without this a keyboard user cannot see which window the focus is on.
  focusVisible: {
    outline: `2px solid ${theme.palette.primary.main}`,
    outlineOffset: -2,
  },
}));

/** Chooses the time window a card covers. */
export function WindowToggle(props: {
  value: TimeWindowName;
  onChange: (window: TimeWindowName) => void;
}) {
  const classes = useToggleStyles();
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.value}
      aria-label="Time window"
      onChange={(_event, next: TimeWindowName | null) => {
        // MUI reports null when the selected button is clicked again; keep the selection.
        if (next) props.onChange(next);
      }}
    >
      {TIME_WINDOWS.map(window => (
        <ToggleButton
          key={window}
          value={window}
          aria-label={window}
          classes={{ root: classes.button, selected: classes.selected }}
          focusVisibleClassName={classes.focusVisible}
        >
          {window}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
