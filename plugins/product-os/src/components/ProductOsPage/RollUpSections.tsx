import { useState } from 'react';
import { InfoCard, Link } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { EntityHealth } from '@internal/plugin-product-os-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import useAsync from 'react-use/esm/useAsync';
import { describeChange, formatCount } from '../../lib/format';
import { rowsByTeam, TeamNode, teamTree } from '../../lib/teamTree';
import { AsyncContent, DotSeparated, useToggleStyles } from '../shared';
import { healthColour, useStatusColours } from '../shared/statusColours';
import { RankedMembers } from '../RollUp/RankedMembers';
import { RollUpTrend } from '../RollUp/RollUpTrend';
import { productOsApiRef } from '../../api';
import { shortRef } from './refs';
import { useProductOsTabLink } from './useProductOsTabLink';

type Grouping = 'team' | 'system';

/** A section: a team or system and the ranked rows it adds up. */
interface Section {
  ref: string;
  /** "engineering › checkout": where a team sits. */
  name: string;
  rows: EntityHealth[];
}

const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.parent',
  'relations',
];

function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function teamSections(
  rows: EntityHealth[],
  tree: Map<string, TeamNode>,
): Section[] {
  const path = (ref: string) =>
    [...(tree.get(ref)?.ancestors ?? [])]
      .reverse()
      .concat(ref)
      .map(r => tree.get(r)?.title ?? shortRef(r, 'group'));
  // Parents before their teams, teams by name: a department's section heads its teams'.
  // A roll-up is of a group: an entity owned by a user has no team section.
  return [...rowsByTeam(rows, tree)]
    .filter(([ref]) => ref.startsWith('group:'))
    .map(([ref, list]) => ({ ref, path: path(ref), rows: list }))
    .sort((a, b) => a.path.join('\u0000').localeCompare(b.path.join('\u0000')))
    .map(({ ref, path: names, rows: list }) => ({
      ref,
      name: names.join(' › '),
      rows: list,
    }));
}

function systemSections(rows: EntityHealth[]): Section[] {
  const bySystem = new Map<string, EntityHealth[]>();
  for (const row of rows) {
    if (!row.system) continue;
    bySystem.set(row.system, [...(bySystem.get(row.system) ?? []), row]);
  }
  return [...bySystem]
    .map(([ref, list]) => ({ ref, name: shortRef(ref, 'system'), rows: list }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function SectionSummary(props: { section: Section }) {
  const { rows } = props.section;
  const colours = useStatusColours();
  const lowest = Math.min(...rows.map(r => r.score));
  const sum = (pick: (row: EntityHealth) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
  const events = sum(r => r.errors.events);
  const previous = sum(r => r.errors.previousEvents);
  return (
    <Box>
      <Typography component="span" variant="subtitle1">
        <strong>{props.section.name}</strong>
      </Typography>
      <Typography component="div" variant="body2" color="textSecondary">
        <DotSeparated
          parts={[
            plural(rows.length, 'service'),
            <>
              lowest health{' '}
              <strong style={{ color: healthColour(lowest, colours) }}>
                {lowest}
              </strong>
            </>,
            plural(
              sum(r => r.openIncidents),
              'open incident',
            ),
            `${plural(
              sum(r => r.diagnosesNeedingHuman),
              'diagnosis',
              'diagnoses',
            )} waiting for a person`,
            `${formatCount(events)} errors (${describeChange(
              events,
              previous,
            )})`,
          ]}
        />
      </Typography>
    </Box>
  );
}

function SectionDetail(props: { section: Section; kind: Grouping }) {
  const { section } = props;
  const api = useApi(productOsApiRef);
  const tabLink = useProductOsTabLink();
  // One roll-up per opened section: its ranking and its 90 days.
  const state = useAsync(
    () => api.getRollup(parseEntityRef(section.ref)),
    [api, section.ref],
  );
  return (
    <Box width="100%">
      <Typography variant="body2" component="p" gutterBottom>
        <Link to={tabLink(section.ref)}>
          {props.kind === 'team' ? 'The team' : 'The system'}'s Product OS tab
        </Link>
      </Typography>
      <AsyncContent state={state}>
        {rollup => (
          <>
            <RankedMembers
              rollup={rollup}
              label={`Ranking of ${section.name}`}
            />
            <Box mt={2}>
              <RollUpTrend
                history={rollup.history}
                label={`90-day trend of ${section.name}`}
              />
            </Box>
          </>
        )}
      </AsyncContent>
    </Box>
  );
}

/**
 * The leaders' page by team (a department adds up all its teams) or by system: each section's
 * services, worst health, incidents, diagnoses waiting and errors, from the page's `/health`
 * rows; opened, its roll-up (asked for then): the backend's ranking and the 90-day trend.
 */
export function RollUpSections(props: { rows: EntityHealth[] }) {
  const catalogApi = useApi(catalogApiRef);
  const [grouping, setGrouping] = useState<Grouping>('team');
  const toggle = useToggleStyles();
  const toggleClasses = { root: toggle.button, selected: toggle.selected };
  const groups = useAsync(
    async () =>
      teamTree(
        (
          await catalogApi.getEntities({
            filter: { kind: 'group' },
            fields: GROUP_FIELDS,
          })
        ).items,
      ),
    [catalogApi],
  );
  return (
    <InfoCard
      title="By team and system"
      subheader="Open a section for its ranking and the 90-day trend"
      action={
        <ToggleButtonGroup
          size="small"
          exclusive
          value={grouping}
          aria-label="Group by"
          onChange={(_event, next: Grouping | null) =>
            next && setGrouping(next)
          }
        >
          <ToggleButton
            value="team"
            classes={toggleClasses}
            focusVisibleClassName={toggle.focusVisible}
          >
            Teams
          </ToggleButton>
          <ToggleButton
            value="system"
            classes={toggleClasses}
            focusVisibleClassName={toggle.focusVisible}
          >
            Systems
          </ToggleButton>
        </ToggleButtonGroup>
      }
    >
      <Box component="section" aria-label="Sections by team and system">
        <AsyncContent state={groups}>
          {tree => {
            const sections =
              grouping === 'team'
                ? teamSections(props.rows, tree)
                : systemSections(props.rows);
            if (sections.length === 0) {
              return (
                <Typography variant="body2" color="textSecondary">
                  No tracked entity names{' '}
                  {grouping === 'team' ? 'an owner' : 'a system'}.
                </Typography>
              );
            }
            return sections.map(section => (
              <Accordion
                key={`${grouping}-${section.ref}`}
                TransitionProps={{ unmountOnExit: true }}
              >
                <AccordionSummary expandIcon={<ExpandMoreIcon />}>
                  <SectionSummary section={section} />
                </AccordionSummary>
                <AccordionDetails>
                  <SectionDetail section={section} kind={grouping} />
                </AccordionDetails>
              </Accordion>
            ));
          }}
        </AsyncContent>
      </Box>
    </InfoCard>
  );
}
