import { mockServices } from '@backstage/backend-test-utils';
import { readAgentConfig } from '../config';
import type { AgentStores } from '../agent/AgentStores';
import {
  MonitoringAgent,
  MonitoringAgentOptions,
} from '../agent/MonitoringAgent';
import type { EntityContext } from '../agent/types';
import { StaticEntityContexts } from './StaticEntityContexts';

/**
 * The real agent on a test's stores, with a fixed catalog of `entities` (a bare context for any
 * other ref), the default config, a silent logger and the test's clock.
 */
export function testAgent(
  stores: AgentStores,
  entities: EntityContext[],
  now: () => number,
  options: Partial<MonitoringAgentOptions> = {},
): MonitoringAgent {
  return new MonitoringAgent({
    stores,
    entities: new StaticEntityContexts(entities),
    config: readAgentConfig(),
    logger: mockServices.logger.mock(),
    now,
    ...options,
  });
}
