export { createGitHubPull, repositoryOf } from './createGitHubPull';
export { GitHubApi } from './GitHubApi';
export type { GitHubApiTiming } from './GitHubApi';
export { readGitHubPullConfig } from './pullConfig';
export type { GitHubPullConfig } from './pullConfig';
