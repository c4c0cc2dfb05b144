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
export const useReadableTableStyles = makeStyles({
  table: {
    '& .MuiTableCell-root': NO_MID_WORD_BREAKS,
    '& .MuiButton-root': { whiteSpace: 'nowrap' },
  },
});
