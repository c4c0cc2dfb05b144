import {
  TIME_WINDOWS,
  TimeWindowName,
} from '@internal/plugin-product-os-common';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';

/** Chooses the time window a card covers. */
export function WindowToggle(props: {
  value: TimeWindowName;
  onChange: (window: TimeWindowName) => void;
}) {
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
        <ToggleButton key={window} value={window} aria-label={window}>
          {window}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
