import { EntityHealth } from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import { HealthFilter } from '../../api';
import { shortRef } from './refs';

type FilterKey = keyof HealthFilter;

const FILTERS: Array<{ key: FilterKey; label: string; kind: string }> = [
  { key: 'owner', label: 'Owner', kind: 'group' },
  { key: 'system', label: 'System', kind: 'system' },
  { key: 'lifecycle', label: 'Lifecycle', kind: '' },
];

function optionsOf(rows: EntityHealth[], key: FilterKey): string[] {
  const values = rows
    .map(row => row[key])
    .filter((v): v is string => Boolean(v));
  return [...new Set(values)].sort();
}

/** Narrows the leaders' page to one owner, system or lifecycle; the choices come from `rows`. */
export function HealthFilters(props: {
  rows: EntityHealth[];
  value: HealthFilter;
  onChange: (filter: HealthFilter) => void;
}) {
  const { rows, value, onChange } = props;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={16}>
      {FILTERS.map(filter => {
        const id = `product-os-filter-${filter.key}`;
        return (
          <FormControl key={filter.key} style={{ minWidth: 180 }}>
            <InputLabel id={`${id}-label`}>{filter.label}</InputLabel>
            <Select
              labelId={`${id}-label`}
              id={id}
              value={value[filter.key] ?? ''}
              onChange={event =>
                onChange({
                  ...value,
                  [filter.key]: (event.target.value as string) || undefined,
                })
              }
            >
              <MenuItem value="">All</MenuItem>
              {optionsOf(rows, filter.key).map(option => (
                <MenuItem key={option} value={option}>
                  {filter.kind ? shortRef(option, filter.kind) : option}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        );
      })}
    </Box>
  );
}
