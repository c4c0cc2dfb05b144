import { useState } from 'react';
import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { HealthFilter, productOsApiRef } from '../../api';
import { AsyncContent, DemoDataNotice, NoData } from '../shared';
import { DiagnosisInbox } from './DiagnosisInbox';
import { HealthFilters } from './HealthFilters';
import { HealthTable } from './HealthTable';
import { RollUpSections } from './RollUpSections';

/**
 * The leaders' page: every entity ranked by health, least healthy first, filtered by owner,
 * system or lifecycle, beside the inbox of diagnoses that need a person; below, the same
 * entities by team and by system, each with the 90-day trend of its figures.
 * @public
 */
export function ProductOsPage() {
  const api = useApi(productOsApiRef);
  const [filter, setFilter] = useState<HealthFilter>({});
  // The unfiltered list supplies the filters' choices, and is the ranking while no filter is
  // set: the page asks for /health once, and again only for a filter.
  const everything = useAsync(() => api.getHealth(), [api]);
  const filtering = Boolean(filter.owner || filter.system || filter.lifecycle);
  const narrowed = useAsync(
    async () => (filtering ? api.getHealth(filter) : undefined),
    [api, filtering, filter.owner, filter.system, filter.lifecycle],
  );
  const filtered = filtering ? narrowed : everything;

  return (
    <Page themeId="tool">
      <Header
        title="Product OS"
        subtitle="Which services need attention, worst first"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12}>
            <DemoDataNotice />
          </Grid>
          <Grid item xs={12} lg={8}>
            <InfoCard title="Health">
              <HealthFilters
                rows={everything.value?.items ?? []}
                value={filter}
                onChange={setFilter}
              />
              <AsyncContent state={filtered}>
                {({ items, tieMargin }) =>
                  items.length === 0 ? (
                    <NoData
                      title="No entities"
                      description="No entity with Product OS annotations matches these filters."
                    />
                  ) : (
                    <HealthTable rows={items} tieMargin={tieMargin} />
                  )
                }
              </AsyncContent>
            </InfoCard>
          </Grid>
          <Grid item xs={12} lg={4}>
            <DiagnosisInbox owner={filter.owner} />
          </Grid>
          {everything.value && (
            <Grid item xs={12} lg={8}>
              <RollUpSections rows={everything.value.items} />
            </Grid>
          )}
        </Grid>
      </Content>
    </Page>
  );
}
