import { EntityHealth } from '@internal/plugin-product-os-common';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { healthColour, useStatusColours } from '../shared';
import {
  describeInputValue,
  describePenalty,
  HEALTH_INPUT_LABELS,
  penalisingInputs,
} from '../../lib/healthInputs';

/**
 * What a score and its breakdown need: a leaders' page row and a roll-up member alike (a
 * member has no error counts; its error inputs then read in their own units).
 */
type Scored = Pick<EntityHealth, 'score' | 'inputs'> &
  Partial<Pick<EntityHealth, 'errors'>>;

const useStyles = makeStyles(theme => ({
  // The score as text, with the focus ring of the theme's links.
  trigger: {
    font: 'inherit',
    background: 'none',
    border: 0,
    padding: 0,
    cursor: 'help',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
}));

/** Every input of the score, with what it took off: the score's sum written out. */
function Breakdown(props: { row: Scored }) {
  const inputs = props.row.inputs ?? [];
  const taken = inputs.reduce((sum, input) => sum + input.penalty, 0);
  return (
    <>
      <Typography variant="body2" component="p">
        100 − {taken} = {props.row.score}
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {inputs.map(input => (
          <li key={input.name}>
            {HEALTH_INPUT_LABELS[input.name]}: {describeInputValue(input)}, −
            {input.penalty}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * A health score in its colour; hovering or focusing it shows every input and the points each
 * took off. Without inputs (a backend that does not send them) it is the number alone.
 */
export function HealthScore(props: { row: Scored }) {
  const colours = useStatusColours();
  const classes = useStyles();
  const score = (
    <strong style={{ color: healthColour(props.row.score, colours) }}>
      {props.row.score}
    </strong>
  );
  if (!props.row.inputs?.length) return score;
  // A button, so that a keyboard reaches the breakdown as a mouse does.
  return (
    <Tooltip title={<Breakdown row={props.row} />} arrow>
      <button type="button" className={classes.trigger}>
        {score}
      </button>
    </Tooltip>
  );
}

/** The lines a row gives to what lowered its score; the rest are under the score's hover. */
const PENALTY_LINES = 2;

/**
 * What lowered the score most ("−25 open incidents (1)"), or that nothing did; past two inputs,
 * how many more there are, so that a row stays a few lines tall.
 */
export function HealthPenalties(props: { row: Scored }) {
  if (!props.row.inputs) return <>—</>;
  const penalties = penalisingInputs(props.row.inputs);
  if (penalties.length === 0) return <>Nothing</>;
  const more = penalties.length - PENALTY_LINES;
  return (
    <>
      {penalties.slice(0, PENALTY_LINES).map(input => (
        <div key={input.name}>{describePenalty(input, props.row.errors)}</div>
      ))}
      {more > 0 && <div>and {more} more</div>}
    </>
  );
}
