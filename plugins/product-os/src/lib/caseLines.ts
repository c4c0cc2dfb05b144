// The four lines live in the common package: the backend's notifications are titled with them.
export {
  caseLines,
  HIDDEN_CAUSE,
  changeName,
  describeConfidence,
  entityName,
} from '@internal/plugin-product-os-common';
export type { CaseLines } from '@internal/plugin-product-os-common';
