import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import useAsync from 'react-use/esm/useAsync';
import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import { productOsApiRef } from '../../api';
import { recordAnchorId } from '../../lib/anchors';
import { formatPercent } from '../../lib/format';
import { AsyncContent, DotSeparated, LocalTime, NoData } from '../shared';
import { shortRef } from './refs';
import { useProductOsTabLink } from './useProductOsTabLink';

/**
 * Open diagnoses that wait for a person, to decide or to undo a change, across the portal or
 * for one owner.
 */
export function DiagnosisInbox(props: { owner?: string }) {
  const { owner } = props;
  const api = useApi(productOsApiRef);
  const tabLink = useProductOsTabLink();
  const state = useAsync(
    () =>
      api.listDiagnoses({
        status: 'open',
        actionability: [...WAITING_FOR_A_PERSON],
        owner,
      }),
    [api, owner],
  );
  return (
    <InfoCard
      title="Needs a human"
      subheader="Open diagnoses waiting for someone to decide or act"
    >
      <AsyncContent state={state}>
        {({ items }) =>
          items.length === 0 ? (
            <NoData
              title="Inbox empty"
              description="No open diagnosis is waiting for a person."
            />
          ) : (
            <List dense aria-label="Diagnoses needing a human">
              {items.map(diagnosis => (
                <ListItem key={diagnosis.id} divider>
                  <ListItemText
                    primary={
                      <Link
                        to={`${tabLink(diagnosis.entityRef)}#${recordAnchorId(
                          'diagnosis',
                          diagnosis.id,
                        )}`}
                      >
                        {diagnosis.summary}
                      </Link>
                    }
                    secondary={
                      <DotSeparated
                        parts={[
                          shortRef(diagnosis.entityRef, 'component'),
                          `confidence ${formatPercent(diagnosis.confidence)}`,
                          <LocalTime time={diagnosis.createdAt} />,
                          diagnosis.nextStep,
                        ]}
                      />
                    }
                  />
                </ListItem>
              ))}
            </List>
          )
        }
      </AsyncContent>
    </InfoCard>
  );
}
