import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import { SERVICES } from '../services';
import type { EntitySim } from '../world';
import {
  Built,
  FamilyContext,
  MINUTE,
  peakFor,
  plantBug,
  plantDeploy,
  removeOperationalChangesNear,
  workTime,
  world,
} from './plant';

/** Which part of the fleet throws: a canary, one stage of a rolling deployment, a stale host. */
const KINDS = [
  'canary',
  'stage',
  'stale-host',
  'canary',
  'stage',
  'stale-host',
] as const;

/**
 * Errors from part of the fleet only, after Knight Capital's postmortem of 1 August 2012 (a
 * deployment reached seven of eight servers; when a repurposed flag was switched on, the eighth
 * ran the retired code behind it) and the usual canary and rolling-deployment incidents: the
 * errors carry one release, not the whole fleet's. Either a deployment's canary, or the stage
 * of a rolling deployment whose hosts differ, throws from when it takes traffic, long before
 * the deployment finishes (the answer: that deployment; the one before it and a flag change
 * nearby are the decoys); or a deployment hours earlier missed a host that still runs the
 * previous release, and a flag flipped minutes before the onset sends it down the code the
 * deployment retired (the answer: the flag change; the deployment whose files are in the
 * frames, and the previous one whose release the errors carry, are the decoys).
 */
export function partialRollout(context: FamilyContext): Built {
  const { rng, variant } = context;
  const kind = KINDS[variant % KINDS.length];
  const { main, deps } = world(context, {
    main: rng.pick(SERVICES.filter(s => s.kind === 'service')),
    level: rng.pick(['medium', 'busy'] as const),
    rollout: kind === 'canary' ? 'canary' : 'rolling',
  });
  const built =
    kind === 'stale-host'
      ? staleHost(context, main)
      : badStage(context, kind, main);
  deps.forEach(s => s.build());
  return { ...built, sims: [main, ...deps] };
}

function badStage(
  context: FamilyContext,
  kind: 'canary' | 'stage',
  main: EntitySim,
): Omit<Built, 'sims'> {
  const { rng } = context;
  const module = rng.pick(main.profile.modules);
  const bug = plantBug(main, module);
  const at = workTime(rng, 9, 15);
  const slot = plantDeploy(main, at, bug.changed);
  // The deployment before it, which may still be rolling out when this one is due.
  main.slots.push({
    at: at - rng.uniform(50, 80) * MINUTE,
    planted: {
      files: main.randomFiles(module),
      title: `Tidy ${rng.pick(main.profile.modules)} ${rng.pick([
        'logging',
        'types',
        'queries',
      ])}`,
    },
  });
  main.build();
  const { start, finish, sha } = slot.built!;
  if (rng.chance(0.4)) {
    removeOperationalChangesNear(main, start, 30 * MINUTE);
    main.addChangeEvent(
      start + rng.uniform(-15, 10) * MINUTE,
      `Feature flag ${rng.pick([
        'new-header',
        'search-v2',
        'async-emails',
      ])} enabled for ${rng.pick([10, 25, 50])}% of users`,
    );
  }
  // A canary takes traffic minutes after the rollout starts; a rolling deployment's bad stage
  // (the hosts of one pool, whose configuration differs) somewhere along it.
  const onset =
    kind === 'canary'
      ? start + rng.uniform(2, 8) * MINUTE
      : start + rng.uniform(0.3, 0.8) * (finish - start);
  const share = kind === 'canary' ? rng.uniform(0.05, 0.2) : 1;
  const group = main.addGroup({
    peakRate: peakFor(
      (kind === 'canary' ? rng.uniform(60, 200) : rng.uniform(15, 80)) * share,
      onset,
    ),
    start: onset,
    module,
    files: bug.frames,
  });
  // Only the new release throws; a canary's errors grow when the rest of the fleet follows.
  group.release = sha;
  if (kind === 'canary')
    group.effects.push({
      from: finish,
      to: finish + 8 * HOUR_MS,
      factor: 1 / share,
    });
  return {
    expected: {
      type: 'culprit',
      culprit: slot.built!.externalId,
      onsetAt: onset,
    },
    description:
      kind === 'canary'
        ? `the canary of a deployment of ${
            main.profile.name
          } threw a new error (${Math.round(
            share * 100,
          )} % of the fleet) ${Math.round(
            (finish - onset) / MINUTE,
          )} min before the rest followed`
        : `one stage of a rolling deployment of ${main.profile.name} threw a new error partway through the rollout`,
  };
}

function staleHost(
  context: FamilyContext,
  main: EntitySim,
): Omit<Built, 'sims'> {
  const { rng } = context;
  const module = rng.pick(main.profile.modules);
  // The retired code path: the files the deployment removed are the ones the errors run through.
  const bug = plantBug(main, module);
  const at = workTime(rng, 11, 17);
  main.clearDeploysNear(at, 40 * MINUTE);
  // The flag is named for the new feature, which is not always in the retired code's module.
  const flag = rng.chance(0.5)
    ? `${module}-${rng.pick(['fast-path', 'bulk', 'express', 'v2'])}`
    : rng.pick(['smart-routing', 'retail-liquidity', 'instant-quotes']);
  // The deployment went out the hour before, earlier that day, or a day or two before.
  const lead = rng.weighted([
    { weight: 35, value: rng.uniform(0.5, 1.5) * HOUR_MS },
    { weight: 35, value: rng.uniform(1.5, 5) * HOUR_MS },
    {
      weight: 30,
      value: rng.integer(1, 2) * DAY_MS + rng.uniform(-4, 2) * HOUR_MS,
    },
  ]).value;
  const retiring = plantDeploy(
    main,
    at - lead,
    bug.changed,
    `Retire the old ${module} path; reuse the ${flag} flag for the new one`,
  );
  main.build();
  removeOperationalChangesNear(main, at, 30 * MINUTE);
  const culprit = main.addChangeEvent(
    at,
    `Feature flag ${flag} enabled for 100% of users`,
  );
  const onset = at + rng.uniform(1, 6) * MINUTE;
  // The host the deployment missed still runs the release before it.
  const before = main.slots
    .filter(s => s.built && s.built.finish < retiring.built!.start)
    .sort((a, b) => a.built!.finish - b.built!.finish)
    .pop();
  const group = main.addGroup({
    peakRate: peakFor(rng.uniform(10, 50), onset),
    start: onset,
    module,
    files: bug.frames,
  });
  group.release = before?.built!.sha ?? `${main.context.name}@initial`;
  return {
    expected: { type: 'culprit', culprit, onsetAt: onset },
    description: `a flag flip minutes before a new error of ${
      main.profile.name
    } from one host a deployment ${(
      (at - retiring.built!.start) /
      HOUR_MS
    ).toFixed(1)} h earlier missed (it still runs the previous release)`,
  };
}
