import { useCallback, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Diagnosis } from '@internal/plugin-product-os-common';
import { DiagnosisReviewStatus, productOsApiRef } from '../../api';
import {
  AsyncContent,
  NoData,
  ProductOsCard,
  useEntityQuery,
  useReviewRevision,
} from '../shared';
import { CARD_ANNOTATIONS } from '../../lib/annotations';
import { DiagnosisItem } from './DiagnosisItem';
import { useDiagnosisPermissions } from './useDiagnosisPermissions';

/**
 * The agent's diagnoses of this entity: summary, confidence, bucket and status; expanded, the
 * ranked suspects and every evidence item. People with the permission acknowledge, resolve
 * or reject them, and (when the backend enables actions) file what the agent found to GitHub
 * after previewing it. Needs any Product OS annotation.
 * @public
 */
export function EntityDiagnosesCard() {
  return (
    <ProductOsCard
      title="Diagnoses"
      subheader="What the agent thinks went wrong, and why"
      annotations={CARD_ANNOTATIONS.any}
    >
      <Diagnoses />
    </ProductOsCard>
  );
}

function Diagnoses() {
  const api = useApi(productOsApiRef);
  const state = useEntityQuery(
    (client, entity) => client.getDiagnoses(entity),
    [],
  );
  const { canReview, canAct, actionsEnabled } = useDiagnosisPermissions();
  // Diagnoses the user reviewed here, as the API returned them after the change.
  const [reviewed, setReviewed] = useState<Record<number, Diagnosis>>({});
  const revision = useReviewRevision();

  const review = useCallback(
    async (id: number, status: DiagnosisReviewStatus, reason?: string) => {
      const updated = await api.updateDiagnosisStatus(id, { status, reason });
      setReviewed(previous => ({ ...previous, [id]: updated }));
      revision.reviewed();
    },
    [api, revision],
  );

  return (
    <AsyncContent state={state}>
      {({ items }) =>
        items.length === 0 ? (
          <NoData
            title="No diagnoses"
            description="The agent has not diagnosed anything for this entity: no anomaly in its errors, incidents or metrics has needed explaining."
          />
        ) : (
          items.map(item => {
            const diagnosis = reviewed[item.id] ?? item;
            return (
              <DiagnosisItem
                key={diagnosis.id}
                diagnosis={diagnosis}
                canReview={canReview}
                canAct={canAct}
                actionsEnabled={actionsEnabled}
                onReview={(status, reason) =>
                  review(diagnosis.id, status, reason)
                }
              />
            );
          })
        )
      }
    </AsyncContent>
  );
}
