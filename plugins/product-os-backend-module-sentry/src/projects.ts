import { SENTRY_PROJECT_SLUG_ANNOTATION } from '@internal/plugin-product-os-common';
import type { DeliveryClaim } from '@internal/plugin-product-os-node';
import type { SentryProject, SentrySourceConfig } from './config';

/** A Sentry project as far as mapping it to catalog entities goes. */
export interface ProjectRef {
  slug: string;
  organization?: string;
}

/**
 * The configured Sentry projects, and how catalog entities claim them: by the
 * `sentry.io/project-slug` annotation (`slug` or `organization/slug`).
 */
export class SentryProjects {
  private readonly byId: Map<string, SentryProject>;

  constructor(
    private readonly config: Pick<
      SentrySourceConfig,
      'projects' | 'organization'
    >,
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

  /** Who claims a delivery for the project (the host finds them, or counts it as unmapped). */
  claimOf(project: ProjectRef, at: number): DeliveryClaim {
    return {
      source: 'sentry',
      annotation: SENTRY_PROJECT_SLUG_ANNOTATION,
      values: annotationValues(project),
      unmappedKey: unmappedKey(project),
      at,
    };
  }

  /**
   * A delivery for a project id nobody configured: without a slug no entity can claim it, so
   * the host counts it as unmapped under the id.
   */
  claimOfUnknownId(id: string | undefined, at: number): DeliveryClaim {
    return {
      source: 'sentry',
      annotation: SENTRY_PROJECT_SLUG_ANNOTATION,
      values: [],
      unmappedKey: `project-id:${id}`,
      at,
    };
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
