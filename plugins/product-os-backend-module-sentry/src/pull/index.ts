export { createSentryPullSource, projectScope } from './createSentryPull';
export { pullSentryProject } from './pullProject';
export type { SentryPullDeps } from './pullProject';
export { readSentryPullConfig } from './pullConfig';
export type { SentryPullConfig } from './pullConfig';
