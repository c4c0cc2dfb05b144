import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useState } from 'react';
import { TimeWindowName } from '@internal/plugin-product-os-common';
import { describeWindow } from '../../lib/windows';
import { AsyncContent, NoData, WindowToggle } from '../shared';
import { shortRef } from '../ProductOsPage/refs';
import { RollUpSummary } from '../RollUp/RollUpSummary';
import { useRollUp } from '../RollUp/useRollUp';

/**
 * A team's health on its Group page: what it and every group below it own that Product OS
 * tracks, ranked least healthy first, with the window's incidents, deploys and open diagnoses.
 * @public
 */
export function EntityTeamHealthCard() {
  const { entity } = useEntity();
  const owner = stringifyEntityRef(entity);
  const [window, setWindow] = useState<TimeWindowName>('7d');
  const state = useRollUp({ owner }, window);
  const name = entity.metadata.title ?? shortRef(owner, 'group');
  return (
    <InfoCard
      title="Team health"
      subheader={`What ${name} and the groups below it own, ${describeWindow(
        window,
      )}`}
      action={<WindowToggle value={window} onChange={setWindow} />}
      variant="gridItem"
    >
      <AsyncContent state={state}>
        {rollUp =>
          rollUp.rows.length === 0 ? (
            <NoData
              title="Nothing tracked"
              description={`Neither ${name} nor a group below it owns a component or system with a Product OS annotation.`}
            />
          ) : (
            <RollUpSummary
              rollUp={rollUp}
              window={window}
              noun="services"
              tableLabel={`Services of ${name} by health`}
            />
          )
        }
      </AsyncContent>
    </InfoCard>
  );
}
