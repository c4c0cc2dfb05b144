import { ReactNode } from 'react';
import TableCell from '@material-ui/core/TableCell';

/**
 * A column header that breaks between words, never inside one ("Event s"): narrow columns
 * wrap "Time to ack" onto two lines instead.
 */
export function HeaderCell(props: {
  children?: ReactNode;
  align?: 'left' | 'right';
}) {
  return (
    <TableCell
      align={props.align}
      style={{ wordBreak: 'normal', overflowWrap: 'normal', hyphens: 'none' }}
    >
      {props.children}
    </TableCell>
  );
}
