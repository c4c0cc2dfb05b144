import { SENTRY_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import type { EntityResolver } from '@internal/plugin-product-os-node';
import type { SentryProject, SentrySourceConfig } from './config';

/** A Sentry project as far as mapping it to catalog entities goes. */
export interface ProjectRef {
  slug: string;
  organization?: string;
}

/**
 * The configured Sentry projects, and which catalog entities claim them through the
 * `sentry.io/project-slug` annotation (`slug` or `organization/slug`).
 */
export class SentryProjects {
  private readonly byId: Map<string, SentryProject>;

  constructor(
    private readonly config: Pick<
      SentrySourceConfig,
      'projects' | 'organization'
    >,
    private readonly entities: EntityResolver,
  ) {
    this.byId = new Map(config.projects.map(project => [project.id, project]));
  }

  get(id: string): SentryProject | undefined {
    return this.byId.get(id);
  }

  /**
   * A project named by a webhook, by slug and/or numeric id: the configured project when there is
   * one, else the slug in the default organization. Undefined for an id nobody configured.
   */
  named(project: { slug?: string; id?: string }): ProjectRef | undefined {
    const configured =
      (project.id !== undefined ? this.byId.get(project.id) : undefined) ??
      this.config.projects.find(p => splitSlug(p.slug).slug === project.slug);
    if (configured) return configured;
    return project.slug
      ? { slug: project.slug, organization: this.config.organization }
      : undefined;
  }

  /** Refs of the entities that claim the project, sorted. */
  async entityRefs(project: ProjectRef): Promise<string[]> {
    const refs = new Set<string>();
    for (const value of annotationValues(project)) {
      for (const ref of await this.entities.findByAnnotation(
        SENTRY_PROJECT_SLUG_ANNOTATION,
        value,
      )) {
        refs.add(ref);
      }
    }
    return [...refs].sort();
  }
}

/** The annotation values that name a project: `slug`, and `organization/slug` when known. */
export function annotationValues(project: ProjectRef): string[] {
  const { slug, organization } = splitSlug(project.slug);
  const org = organization ?? project.organization;
  return org ? [slug, `${org}/${slug}`] : [slug];
}

/** The key under which deliveries for a project nobody claims are counted. */
export function unmappedKey(project: ProjectRef): string {
  const values = annotationValues(project);
  return values[values.length - 1];
}

function splitSlug(value: string): { slug: string; organization?: string } {
  const slash = value.lastIndexOf('/');
  if (slash < 0) return { slug: value };
  return { organization: value.slice(0, slash), slug: value.slice(slash + 1) };
}
