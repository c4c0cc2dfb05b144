import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import { callFrame, ServiceProfile, SERVICES } from '../services';
import { EntitySim } from '../world';
import {
  Built,
  clientFile,
  FamilyContext,
  HISTORY_DAYS,
  MINUTE,
  peakFor,
  plantBug,
  plantDeploy,
  removeOperationalChangesNear,
  TIMELINE_START,
  upstreamFailure,
  workTime,
  world,
} from './plant';

/** Whether the push is recorded as a change event of the dependency, and whether it reports its crash. */
const KINDS = [
  'recorded',
  'recorded-silent',
  'unrecorded',
  'recorded',
  'recorded-silent',
  'unrecorded',
] as const;

/**
 * A configuration or data push to a dependency breaks its callers while nobody deploys it,
 * after two public postmortems: Google Cloud's Service Control outage of 12 June 2025 (a quota
 * policy change replicated to every region within seconds reached a code path that a binary
 * rolled out two weeks earlier had added without a null check, and the binary crash looped
 * everywhere) and CrowdStrike's of 19 July 2024 (a content update, channel file 291, pushed to
 * every host crashed the sensor reading it). Here the dependency's code that cannot read the new
 * data shipped days before; the push lands minutes before its callers' calls fail. The push is
 * a change event of the dependency (the answer), the same with the dependency reporting no
 * errors (a process crash looping before its error reporter flushes), or pushed by a system
 * that sends no change events, so nothing visible to Product OS caused it ("not enough
 * evidence"). The callers' own deployments shortly before are the decoys.
 */
export function upstreamDataPush(context: FamilyContext): Built {
  const { rng, variant, draw } = context;
  const kind = KINDS[variant % KINDS.length];
  const upstream = rng.pick(
    SERVICES.filter(s => s.kind === 'service' && s.name !== 'search'),
  );
  const callers = rng.sample(
    SERVICES.filter(s => s !== upstream),
    rng.chance(0.5) ? 2 : 1,
  );
  const { main, deps } = world(context, {
    main: callers[0],
    dependencies: [upstream],
    level: 'medium',
  });
  const dep = deps[0];
  // Every caller of the dependency fails together: a second one, when drawn, beside the first.
  const others = callers.slice(1).map(profile => {
    const sim = new EntitySim(
      rng,
      context.id,
      draw.profile(profile),
      [dep.entityRef],
      TIMELINE_START,
      HISTORY_DAYS + 1,
      { pr: 1500 + rng.integer(0, 200) },
      draw.entityStyle(),
    );
    sim.planErrors(rng.pick(['quiet', 'medium'] as const));
    sim.planDeploys();
    sim.planOperationalChanges();
    sim.planMetrics();
    return sim;
  });

  const at = workTime(rng, 9, 17);
  const module = rng.pick(dep.profile.modules);
  const bug = plantBug(dep, module);
  // The code that cannot read the new data shipped days before and ran clean since; no
  // deployment of the dependency for hours around the push.
  dep.clearDeploysNear(at, 6 * HOUR_MS);
  plantDeploy(
    dep,
    at - rng.integer(2, 5) * DAY_MS + rng.uniform(-2, 2) * HOUR_MS,
    bug.changed,
    `Check ${module} ${rng.pick([
      'quotas',
      'policies',
      'limits',
    ])} per ${rng.pick(['project', 'account', 'region'])}`,
  );
  dep.build();
  removeOperationalChangesNear(dep, at, 3 * HOUR_MS);
  // Sometimes a harmless change of the dependency an hour or two before the push.
  if (rng.chance(0.4))
    dep.addChangeEvent(
      at - rng.uniform(45, 150) * MINUTE,
      rng.pick([
        `Scaled ${upstream.name} to ${rng.integer(4, 12)} replicas`,
        'Rotated database credentials',
        'Updated CDN cache rules',
      ]),
    );
  const culprit = kind.startsWith('recorded')
    ? dep.addChangeEvent(
        at,
        rng.pick([
          `Quota policy update replicated to all regions (${rng.integer(
            40,
            900,
          )} projects)`,
          `Config push: ${module} policy table v${rng.integer(
            100,
            999,
          )} to all regions`,
          `Content update: ${module} rules channel file ${rng.integer(
            200,
            400,
          )} pushed to all hosts`,
          `Data push: ${module} limits for ${rng.integer(
            10,
            90,
          )} accounts (global)`,
        ]),
      )
    : undefined;
  const onset = at + rng.uniform(0.5, 5) * MINUTE;
  // Mitigated within hours (the push rolled back, or the failing check switched off).
  const mitigated = onset + rng.uniform(1, 3) * HOUR_MS;
  if (kind === 'recorded-silent') dep.reportsErrors = false;
  else
    dep.addGroup({
      peakRate: peakFor(rng.uniform(30, 120), onset),
      start: onset,
      title: nullDereference(dep.profile, module),
      module,
      files: bug.frames,
    }).end = mitigated;

  const clientOnset = onset + rng.uniform(0.5, 3) * MINUTE;
  for (const caller of [main, ...others]) {
    // The caller's own deployment not long before: the obvious, wrong suspect. Only where the
    // push is recorded does it sometimes change the caller's client of the dependency: without
    // the push to explain the failures, such a change would be a fair suspect.
    const touchesClient = rng.chance(0.25) && culprit !== undefined;
    const files = caller.randomFiles();
    if (touchesClient) files.push(clientFile(caller, upstream));
    caller.slots.push({
      at: clientOnset - rng.uniform(12, 50) * MINUTE,
      planted: {
        files,
        title: touchesClient
          ? `Retry calls to ${upstream.name} once`
          : rng.pick([
              'Update checkout copy and tracking',
              'Tidy request logging',
            ]),
      },
    });
    caller.clearDeploysNear(clientOnset - 5 * MINUTE, 8 * MINUTE);
    caller.build();
    failingCalls(
      caller,
      upstream,
      caller === main ? clientOnset : clientOnset + rng.uniform(0, 1) * MINUTE,
      mitigated + rng.uniform(0, 5) * MINUTE,
      context,
    );
  }
  return {
    sims: [main, dep, ...others],
    expected: culprit
      ? { type: 'culprit', culprit, onsetAt: clientOnset }
      : { type: 'no_culprit', onsetAt: clientOnset },
    description: `${
      culprit ? 'a recorded' : 'an unrecorded'
    } config/data push to ${upstream.name}${
      kind === 'recorded-silent' ? ' (which reports no errors)' : ''
    } made code shipped days earlier crash; calls from ${callers
      .map(c => c.name)
      .join(' and ')} failed, each after a deployment of its own`,
  };
}

/** Calls from a caller to the crash-looping dependency fail from `at` until `until`. */
function failingCalls(
  caller: EntitySim,
  upstream: ServiceProfile,
  at: number,
  until: number,
  context: FamilyContext,
) {
  const { rng } = caller;
  const module = rng.pick(caller.profile.modules);
  const files = caller.filesOf(module);
  caller.addGroup({
    peakRate: peakFor(rng.uniform(25, 100), at),
    start: at,
    title: upstreamFailure(caller, upstream.name, context.draw),
    files: [clientFile(caller, upstream), files[0], files[files.length - 1]],
    library: callFrame(caller.profile, 'http'),
  }).end = until;
}

/** The crash of code reading a field the pushed data left empty, in the service's language. */
function nullDereference(profile: ServiceProfile, module: string): string {
  const Module = module.charAt(0).toUpperCase() + module.slice(1);
  switch (profile.language ?? 'typescript') {
    case 'python':
      return `AttributeError: 'NoneType' object has no attribute '${module}_limit'`;
    case 'java':
      return `java.lang.NullPointerException: Cannot invoke "com.acme.${Module}Policy.getLimit()" because "policy" is null`;
    case 'go':
      return 'panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV]';
    default:
      return `TypeError: Cannot read properties of undefined (reading '${module}Limit')`;
  }
}
