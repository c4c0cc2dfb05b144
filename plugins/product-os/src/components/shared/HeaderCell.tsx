import { ReactNode } from 'react';
import TableCell from '@material-ui/core/TableCell';
import { makeStyles } from '@material-ui/core/styles';

const NO_MID_WORD_BREAKS = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
  hyphens: 'none',
} as const;

/**
 * A column header that breaks between words, never inside one ("Event s"): narrow columns
 * wrap "Time to ack" onto two lines instead.
 */
export function HeaderCell(props: {
  children?: ReactNode;
  align?: 'left' | 'right';
}) {
  return (
    <TableCell align={props.align} style={NO_MID_WORD_BREAKS}>
      {props.children}
    </TableCell>
  );
}

/** For a table's root: no cell breaks inside a word ("Resolve d"), a button never wraps. */
// By element, not by MUI's class names: Backstage's theme gives those a suffix (MuiTableCell-root-42).
export const useReadableTableStyles = makeStyles({
  table: {
    '& th, & td': NO_MID_WORD_BREAKS,
    '& button': { whiteSpace: 'nowrap' },
  },
});
