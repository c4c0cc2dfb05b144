import { useState } from 'react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EntitySyncStatus,
  productOsSyncPermission,
  PullSyncStatus,
  SourceSyncStatus,
} from '@internal/plugin-product-os-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { productOsApiRef } from '../../api';
import { readableValue, SOURCE_LABELS } from '../../lib/labels';
import { AsyncContent, LocalTime, useEntityQuery } from '../shared';

/**
 * Where the entity's data comes from when Product OS pulls it from the vendors' APIs: per
 * source, when it was last pulled and how many items that brought, why the last attempt failed,
 * or how an administrator connects a source that is not configured; and "Sync now" for people
 * with `product-os.entity.sync`. Renders nothing for an entity no pulling source serves.
 * @public
 */
export function EntitySyncStatusCard() {
  const api = useApi(productOsApiRef);
  const { entity } = useEntity();
  const loaded = useEntityQuery((a, e) => a.getSyncStatus(e), []);
  const permission = usePermission({ permission: productOsSyncPermission });
  const [synced, setSynced] = useState<EntitySyncStatus>();
  const [syncing, setSyncing] = useState(false);
  const [syncError, setSyncError] = useState<Error>();

  const status = synced ?? loaded.value;
  if (!loaded.loading && !loaded.error && !status?.sources.length) return null;
  const pulling = status?.sources.some(s => s.configured) ?? false;

  const syncNow = async () => {
    setSyncing(true);
    setSyncError(undefined);
    try {
      setSynced(await api.syncNow(getCompoundEntityRef(entity)));
    } catch (error) {
      setSyncError(error as Error);
    } finally {
      setSyncing(false);
    }
  };

  return (
    <InfoCard title="Data sync" variant="gridItem">
      <AsyncContent state={{ ...loaded, value: status }}>
        {value => (
          <>
            {value.sources.map(source => (
              <SourceStatus
                key={source.source}
                source={source}
                now={Date.now()}
              />
            ))}
            {pulling && (
              <Box display="flex" alignItems="center" mt={2}>
                <Button
                  variant="outlined"
                  color="primary"
                  disabled={!permission.allowed || syncing}
                  onClick={syncNow}
                >
                  {syncing ? 'Syncing…' : 'Sync now'}
                </Button>
                {!permission.loading && !permission.allowed && (
                  <Box ml={2}>
                    <Typography variant="body2" color="textSecondary">
                      Syncing now needs the product-os.entity.sync permission;
                      the sources are pulled on their schedule.
                    </Typography>
                  </Box>
                )}
              </Box>
            )}
            {syncError && (
              <Box mt={2}>
                <Alert severity="error">
                  Sync now failed: {reasonOf(syncError)}
                </Alert>
              </Box>
            )}
          </>
        )}
      </AsyncContent>
    </InfoCard>
  );
}

function SourceStatus(props: { source: SourceSyncStatus; now: number }) {
  const { source, now } = props;
  const name = SOURCE_LABELS[source.source] ?? source.source;
  return (
    <Box component="section" mb={2} aria-label={name}>
      <Typography variant="subtitle2" component="h3">
        {name}
      </Typography>
      {source.configured ? (
        source.pulls.map(pull => (
          <PullStatus
            key={`${pull.pullId}:${pull.scope}`}
            pull={pull}
            now={now}
          />
        ))
      ) : (
        <Typography variant="body2" color="textSecondary">
          Not connected. How to connect: {source.howToConnect}
        </Typography>
      )}
    </Box>
  );
}

function PullStatus(props: { pull: PullSyncStatus; now: number }) {
  const { pull, now } = props;
  return (
    <Box mb={1}>
      <Typography variant="body2">
        {readableValue(pull.pullId)} of <code>{pull.scope}</code>:{' '}
        {pull.lastSuccessAt ? (
          <>
            last pulled <LocalTime time={pull.lastSuccessAt} now={now} />
            {pull.items !== undefined && `, ${itemCount(pull.items)}`}
          </>
        ) : (
          'not pulled yet'
        )}
        {pull.nextRunAt && (
          <>
            ; next run about <LocalTime time={pull.nextRunAt} now={now} />
          </>
        )}
      </Typography>
      {pull.lastError && (
        <Alert severity="error">
          The last attempt
          {pull.lastErrorAt && (
            <>
              {' '}
              (<LocalTime time={pull.lastErrorAt} now={now} />)
            </>
          )}{' '}
          failed: {pull.lastError}
        </Alert>
      )}
    </Box>
  );
}

/** The backend's own reason (a 409 while a sync runs, a 403) rather than "Request failed". */
function reasonOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error && cause.message
    ? cause.message
    : error.message;
}

function itemCount(items: number): string {
  return `${items.toLocaleString('en-US')} ${items === 1 ? 'item' : 'items'}`;
}
