import type { ChangeEventInput } from '@internal/plugin-product-os-node';

/**
 * A change as GitHub reported it, before it is assigned to catalog entities. One with `files`
 * (a commit) goes only to the entities whose paths it touches; one without goes to every entity
 * of the repository.
 */
export type GitHubChange = Omit<ChangeEventInput, 'entityRef' | 'source'>;
