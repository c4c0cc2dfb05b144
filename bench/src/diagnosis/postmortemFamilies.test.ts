import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import { HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import { errorEventsBetween } from './errorEvents';
import {
  buildSuite,
  FAMILY_SIZES,
  NO_CULPRIT_FAMILIES,
  POSTMORTEMS,
} from './families';
import type { Scenario } from './model';

const MINUTE = 60_000;

/**
 * The families designed from public postmortems build what their postmortems describe, in the
 * first world and in a training suite's varied worlds: the labelled culprit is a change Product
 * OS receives, live shortly before the onset, and the decoys and the part of the fleet that
 * throws are where the family puts them. (How the agent does on them, the benchmark measures.)
 */
const suites = [buildSuite(1, 'classic'), buildSuite(10_001)];
const ofFamily = (family: string) =>
  suites.flatMap(suite => suite.filter(s => s.family === family));

function changes(scenario: Scenario): ChangeEventInput[] {
  return scenario.deliveries.flatMap(d =>
    d.type === 'change' ? [d.change] : [],
  );
}

function culpritOf(scenario: Scenario): ChangeEventInput {
  const { expected } = scenario;
  if (expected.type !== 'culprit')
    throw new Error(`${scenario.id} has no culprit`);
  const found = changes(scenario).filter(
    c => c.externalId === expected.culprit,
  );
  expect(found.length).toBeGreaterThan(0);
  const culprit = found[found.length - 1];
  // Live before the onset, and not long before it.
  expect(culprit.occurredAt).toBeLessThanOrEqual(expected.onsetAt);
  expect(expected.onsetAt - culprit.occurredAt).toBeLessThan(30 * MINUTE);
  return culprit;
}

/** The error group the family planted on the labelled entity at the onset. */
function labelledGroup(scenario: Scenario) {
  const { expected } = scenario;
  if (expected.type === 'quiet') throw new Error(`${scenario.id} is quiet`);
  const group = scenario.groups.find(
    g =>
      g.entityRef === scenario.entities[0].entityRef &&
      Math.abs(g.start - expected.onsetAt) < 1000,
  );
  expect(group).toBeDefined();
  return group!;
}

function deploymentsOf(scenario: Scenario, entityRef: string) {
  return changes(scenario).filter(
    c =>
      c.entityRef === entityRef &&
      c.kind === 'deployment' &&
      c.environment === 'production' &&
      c.status === 'success',
  );
}

describe('families after public postmortems', () => {
  it('cites a postmortem for each, and labels no-culprit families without one', () => {
    for (const family of Object.keys(POSTMORTEMS))
      expect(FAMILY_SIZES[family]).toBeGreaterThan(0);
    expect(
      suites
        .flat()
        .filter(
          s =>
            NO_CULPRIT_FAMILIES.has(s.family) &&
            s.expected.type !== 'no_culprit',
        )
        .map(s => s.id),
    ).toEqual([]);
  });

  it('upstream-data-push: a push to a dependency, recorded or not, with the callers deploying', () => {
    const scenarios = ofFamily('upstream-data-push');
    expect(new Set(scenarios.map(s => s.expected.type))).toEqual(
      new Set(['culprit', 'no_culprit']),
    );
    for (const scenario of scenarios.filter(s => s.expected.type === 'culprit'))
      culpritOf(scenario);
    for (const scenario of scenarios) {
      const [main] = scenario.entities;
      const onset = labelledGroup(scenario).start;
      const upstream = main.dependsOn[0];
      // No deployment of the dependency for hours before; the caller's own shortly before.
      expect(
        deploymentsOf(scenario, upstream).filter(
          d => d.occurredAt > onset - 3 * HOUR_MS && d.occurredAt <= onset,
        ),
      ).toEqual([]);
      expect(
        deploymentsOf(scenario, main.entityRef).some(
          d => d.occurredAt > onset - HOUR_MS && d.occurredAt < onset,
        ),
      ).toBe(true);
      // The dependency's change events of the half hour before the onset: the recorded push
      // and nothing else, or nothing where no change event records it.
      const pushes = changes(scenario).filter(
        c =>
          c.entityRef === upstream &&
          c.kind === 'change' &&
          c.occurredAt > onset - 30 * MINUTE &&
          c.occurredAt <= onset,
      );
      const { expected } = scenario;
      expect(pushes.map(c => c.externalId)).toEqual(
        expected.type === 'culprit' ? [expected.culprit] : [],
      );
    }
    // Without a recorded push, no change of the caller's client of the dependency is near:
    // it would be a fair suspect then.
    for (const scenario of scenarios.filter(
      s => s.expected.type === 'no_culprit',
    )) {
      const group = labelledGroup(scenario);
      const client = group.files[0];
      expect(
        changes(scenario).filter(
          c =>
            c.kind === 'pull_request' &&
            c.entityRef === group.entityRef &&
            c.occurredAt > group.start - 3 * HOUR_MS &&
            (c.files ?? []).includes(client),
        ),
      ).toEqual([]);
    }
  });

  it('partial-rollout: errors from one release only, triggered by a deployment or a flag', () => {
    const cases = ofFamily('partial-rollout').map(scenario => {
      const group = labelledGroup(scenario);
      return {
        scenario,
        group,
        culprit: culpritOf(scenario),
        serving: scenario.releases
          .get(group.entityRef)!
          .filter(r => r.at <= group.start)
          .pop(),
      };
    });
    for (const { scenario, group } of cases) {
      expect(group.release).toBeDefined();
      const events = errorEventsBetween(
        scenario,
        group.start,
        group.start + HOUR_MS,
      ).filter(e => e.fingerprint === group.fingerprint);
      expect(events.length).toBeGreaterThan(0);
      expect(new Set(events.map(e => e.release))).toEqual(
        new Set([group.release]),
      );
    }
    // The canary or a stage of the culprit throws before the rollout has finished.
    const deployed = cases.filter(c => c.culprit.kind === 'deployment');
    for (const { group, culprit } of deployed) {
      expect(group.release).toBe(culprit.sha);
      expect(culprit.finishedAt).toBeGreaterThan(group.start);
    }
    // A flag flipped: the host a deployment missed still runs an older release.
    const flipped = cases.filter(c => c.culprit.kind === 'change');
    for (const { group, serving } of flipped)
      expect(group.release).not.toBe(serving?.sha);
    expect(deployed.length).toBeGreaterThan(0);
    expect(flipped.length).toBeGreaterThan(0);
    expect(deployed.length + flipped.length).toBe(cases.length);
  });
});
