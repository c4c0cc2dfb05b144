import type { EntityContext, EntityContextProvider } from '../agent/types';

/** A fixed catalog for the agent: the given entities, and a bare context for any other ref. */
export class StaticEntityContexts implements EntityContextProvider {
  private readonly byRef: Map<string, EntityContext>;

  constructor(entities: EntityContext[]) {
    this.byRef = new Map(entities.map(e => [e.entityRef, e]));
  }

  async get(entityRef: string): Promise<EntityContext> {
    return (
      this.byRef.get(entityRef) ?? {
        entityRef,
        name: entityRef.split('/').pop()!,
        dependsOn: [],
        keyMetrics: [],
      }
    );
  }
}
