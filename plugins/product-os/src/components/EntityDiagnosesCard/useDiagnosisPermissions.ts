import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  productOsDiagnosisActPermission,
  productOsDiagnosisUpdatePermission,
} from '@internal/plugin-product-os-common';
import useAsync from 'react-use/esm/useAsync';
import { productOsApiRef } from '../../api';

/**
 * Whether the user may review diagnoses, and whether they may run actions: that needs the
 * permission and actions switched on in the backend's config. Both are false until known.
 */
export function useDiagnosisPermissions() {
  const api = useApi(productOsApiRef);
  const review = usePermission({
    permission: productOsDiagnosisUpdatePermission,
  });
  const act = usePermission({ permission: productOsDiagnosisActPermission });
  // Without the config we cannot know whether actions are on, so they stay hidden.
  const config = useAsync(() => api.getConfig(), [api]);
  return {
    canReview: review.allowed,
    canAct: act.allowed && config.value?.actionsEnabled === true,
    /** Undefined until the backend answers. */
    actionsEnabled: config.value?.actionsEnabled,
  };
}
