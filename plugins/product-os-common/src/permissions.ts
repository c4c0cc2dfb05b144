import { createPermission } from '@backstage/plugin-permission-common';

/** Read Product OS data attached to a catalog entity. @public */
export const productOsReadPermission = createPermission({
  name: 'product-os.entity.read',
  attributes: { action: 'read' },
});

/** Acknowledge, resolve or reject a diagnosis. @public */
export const productOsDiagnosisUpdatePermission = createPermission({
  name: 'product-os.diagnosis.update',
  attributes: { action: 'update' },
});

/** Run an action that writes to an outside system (GitHub issue, PR comment). @public */
export const productOsDiagnosisActPermission = createPermission({
  name: 'product-os.diagnosis.act',
  attributes: { action: 'create' },
});

/** Read administrative state: sync status, unmapped deliveries, the audit log. @public */
export const productOsAdminPermission = createPermission({
  name: 'product-os.admin.read',
  attributes: { action: 'read' },
});

/**
 * Sync an entity's data from the vendors now ("sync now" on its page), instead of waiting for the
 * next scheduled pull. @public
 */
export const productOsSyncPermission = createPermission({
  name: 'product-os.entity.sync',
  attributes: { action: 'update' },
});

/** Every Product OS permission, for registration with the permissions registry. @public */
export const productOsPermissions = [
  productOsReadPermission,
  productOsDiagnosisUpdatePermission,
  productOsDiagnosisActPermission,
  productOsAdminPermission,
  productOsSyncPermission,
];
