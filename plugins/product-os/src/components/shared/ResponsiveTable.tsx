import { ReactNode } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { HeaderCell, useReadableTableStyles } from './HeaderCell';
import { VisuallyHidden } from './VisuallyHidden';

/** A column of a {@link ResponsiveTable}. */
export interface Column<T> {
  /** The column's header; on a phone, the term before the value. */
  header: string;
  /**
   * Said to screen readers only: a column of buttons needs no visible header. On a phone its
   * content goes under the entry's lines.
   */
  hiddenHeader?: boolean;
  align?: 'left' | 'right';
  render: (row: T) => ReactNode;
}

const useStyles = makeStyles((theme: Theme) => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    padding: theme.spacing(1.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    overflowWrap: 'anywhere',
  },
  fields: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 0),
    '& dd': { margin: 0 },
  },
}));

/**
 * A table on a wide screen; narrower than the theme's `sm` breakpoint (600 pixels: a phone), a list with one entry
 * per row, one column (the first) as the entry's title and the others as "header: value" lines. Seven
 * columns in 390 pixels would each get a character or two.
 */
export function ResponsiveTable<T>(props: {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  /** The column that titles a row's entry on a phone; the first unless told. */
  titleColumn?: number;
  /** The id of a row's element, for links to it (`#product-os-incident-4`). */
  rowId?: (row: T) => string | undefined;
}) {
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  const tableClasses = useReadableTableStyles();
  const classes = useStyles();
  const { columns, rows } = props;

  if (narrow) {
    const titleAt = props.titleColumn ?? 0;
    const title = columns[titleAt];
    const fields = columns.filter((_column, i) => i !== titleAt);
    return (
      <ul className={classes.list} aria-label={props.label}>
        {rows.map(row => (
          <li
            key={props.rowKey(row)}
            id={props.rowId?.(row)}
            className={classes.item}
          >
            <Typography variant="body1" component="div">
              {title.render(row)}
            </Typography>
            <dl className={classes.fields}>
              {fields
                .filter(column => !column.hiddenHeader)
                .map(column => (
                  <Field key={column.header} term={column.header}>
                    {column.render(row)}
                  </Field>
                ))}
            </dl>
            {fields
              .filter(column => column.hiddenHeader)
              .map(column => (
                <div key={column.header}>{column.render(row)}</div>
              ))}
          </li>
        ))}
      </ul>
    );
  }

  return (
    <Table className={tableClasses.table} size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          {columns.map(column => (
            <HeaderCell key={column.header} align={column.align}>
              {column.hiddenHeader ? (
                <VisuallyHidden>{column.header}</VisuallyHidden>
              ) : (
                column.header
              )}
            </HeaderCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={props.rowKey(row)} id={props.rowId?.(row)}>
            {columns.map(column => (
              <TableCell key={column.header} align={column.align}>
                {column.render(row)}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Field(props: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography variant="body2" color="textSecondary" component="dt">
        {props.term}
      </Typography>
      <Typography variant="body2" component="dd">
        {props.children}
      </Typography>
    </>
  );
}
