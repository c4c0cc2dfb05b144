import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import type { Delivery, Scenario } from './model';
import { Random } from '@internal/product-os-demo/src/product/random';
import {
  callFrame,
  httpFileOf,
  manifestsOf,
  remoteFailureTitle,
  SERVICES,
} from './services';
import { EntitySim, season } from './world';
import { classicWorld, drawWorld } from './worldStyles';
import {
  Built,
  byName,
  clientFile,
  EVAL_DAY,
  FamilyContext,
  HISTORY_DAYS,
  latentDelay,
  MINUTE,
  peakFor,
  plantBug,
  plantDeploy,
  removeChangesBefore,
  TIMELINE_START,
  upstreamFailure,
  workTime,
  world,
} from './families/plant';
import { partialRollout } from './families/partialRollout';
import { upstreamDataPush } from './families/upstreamDataPush';

export { TIMELINE_START } from './families/plant';

const families: Record<string, (context: FamilyContext) => Built> = {
  'new-error-after-deploy': context => {
    const { rng } = context;
    const { main, deps } = world(context);
    const module = rng.pick(main.profile.modules);
    const bug = plantBug(main, module);
    const slot = plantDeploy(main, workTime(rng), bug.changed);
    [main, ...deps].forEach(s => s.build());
    const onset = slot.built!.finish + latentDelay(rng);
    main.addGroup({
      peakRate: peakFor(rng.uniform(15, 120), onset),
      start: onset,
      module,
      files: bug.frames,
    });
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: onset,
      },
      description: `a new error in ${main.profile.name} after a deployment that changed the code it throws in`,
    };
  },

  'spike-existing-group': context => {
    const { rng } = context;
    const { main, deps } = world(context, {
      level: rng.pick(['medium', 'busy'] as const),
    });
    const candidates = main.groups
      .filter(g => g.start === TIMELINE_START)
      .sort((a, b) => b.peakRate - a.peakRate)
      .slice(0, 3);
    const group = rng.pick(candidates);
    const depth = rng.chance(0.7) ? 0 : rng.integer(1, group.files.length - 1);
    const changed = [
      group.files[depth],
      ...main.randomFiles().slice(0, rng.integer(0, 2)),
    ];
    const slot = plantDeploy(main, workTime(rng), [...new Set(changed)]);
    [main, ...deps].forEach(s => s.build());
    const onset = slot.built!.finish + latentDelay(rng);
    const total = main.groups.reduce((sum, g) => sum + g.peakRate, 0);
    const factor = 1 + (rng.uniform(3, 12) * total) / group.peakRate;
    group.effects.push({ from: onset, to: onset + 8 * HOUR_MS, factor });
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: onset,
      },
      description: `an existing error of ${
        main.profile.name
      } spiked after a deployment changed a file in its stack (frame ${
        depth + 1
      })`,
    };
  },

  'close-deploys': context => {
    const { rng } = context;
    const { main, deps } = world(context, {
      level: rng.pick(['medium', 'busy'] as const),
    });
    const module = rng.pick(main.profile.modules);
    const bug = plantBug(main, module);
    const at = workTime(rng);
    const culprit = plantDeploy(main, at, bug.changed);
    const decoys = rng.integer(1, 2);
    const offsets = rng
      .sample([-28, -19, -11, 9, 16, 24], decoys)
      .map(m => (m + rng.uniform(-2, 2)) * MINUTE);
    for (const offset of offsets) {
      const files = main.randomFiles();
      // Half the time a decoy touches a file lower in the same stack.
      if (rng.chance(0.5)) files.push(bug.frames[bug.frames.length - 1]);
      main.slots.push({
        at: at + offset,
        planted: {
          files,
          title: `Tidy ${module} ${rng.pick(['routes', 'types', 'logging'])}`,
        },
      });
    }
    [main, ...deps].forEach(s => s.build());
    const onset = culprit.built!.finish + rng.uniform(1, 8) * MINUTE;
    const newGroup = rng.chance(0.5);
    if (newGroup) {
      main.addGroup({
        peakRate: peakFor(rng.uniform(20, 120), onset),
        start: onset,
        module,
        files: bug.frames,
      });
    } else {
      const total = main.groups.reduce((sum, g) => sum + g.peakRate, 0);
      const group = main.addGroup({
        peakRate: total * rng.uniform(0.1, 0.3),
        start: TIMELINE_START,
        module,
        files: bug.frames,
      });
      group.effects.push({
        from: onset,
        to: onset + 8 * HOUR_MS,
        factor: 1 + (rng.uniform(3, 10) * total) / group.peakRate,
      });
    }
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: culprit.built!.externalId,
        onsetAt: onset,
      },
      description: `${decoys + 1} deployments of ${
        main.profile.name
      } within half an hour; ${
        newGroup ? 'a new error' : 'an existing error spiked'
      }`,
    };
  },

  'upstream-dependency': context => {
    const { rng, variant } = context;
    const upstream = rng.pick(
      SERVICES.filter(s => s.kind === 'service' && s.name !== 'search'),
    );
    const main = rng.pick(SERVICES.filter(s => s !== upstream));
    const others = rng.sample(
      SERVICES.filter(
        s => s !== upstream && s !== main && s.kind === 'service',
      ),
      rng.integer(0, 1),
    );
    const { main: sim, deps } = world(context, {
      main,
      dependencies: [upstream, ...others],
      level: 'medium',
    });
    const dep = deps[0];
    const silent = variant % 4 === 3;
    if (silent) {
      dep.reportsErrors = false;
    }
    const module = rng.pick(dep.profile.modules);
    const bug = plantBug(dep, module);
    const slot = plantDeploy(dep, workTime(rng), bug.changed);
    dep.build();
    const onset = slot.built!.finish + rng.uniform(1, 10) * MINUTE;
    // The entity's own deployment not long before: the obvious, wrong suspect.
    const decoyFiles = sim.randomFiles();
    if (rng.chance(0.15)) decoyFiles.push(clientFile(sim, upstream));
    sim.slots.push({
      at: onset - rng.uniform(15, 60) * MINUTE,
      planted: {
        files: decoyFiles,
        title: 'Update checkout copy and tracking',
      },
    });
    sim.clearDeploysNear(onset - 5 * MINUTE, 8 * MINUTE);
    [sim, ...deps.slice(1)].forEach(s => s.build());
    if (!silent)
      dep.addGroup({
        peakRate: peakFor(rng.uniform(15, 60), onset),
        start: onset,
        module,
        files: bug.frames,
      });
    const clientOnset = onset + rng.uniform(0.5, 3) * MINUTE;
    const clientModule = rng.pick(sim.profile.modules);
    sim.addGroup({
      peakRate: peakFor(rng.uniform(25, 100), clientOnset),
      start: clientOnset,
      title: context.draw.classic
        ? `UpstreamError: ${upstream.name} responded 502 Bad Gateway`
        : upstreamFailure(sim, upstream.name, context.draw),
      files: [
        clientFile(sim, upstream),
        sim.filesOf(clientModule)[0],
        sim.filesOf(clientModule).slice(-1)[0],
      ],
      library: callFrame(sim.profile, 'http'),
    });
    return {
      sims: [sim, ...deps],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: clientOnset,
      },
      description: `a bad deployment of ${upstream.name}${
        silent ? ' (which reports no errors)' : ''
      } broke calls from ${main.name}`,
    };
  },

  regression: context => {
    const { rng } = context;
    const { main, deps } = world(context, {
      level: rng.pick(['medium', 'busy'] as const),
    });
    const group = rng.pick(main.groups.filter(g => g.start === TIMELINE_START));
    const resolvedAt =
      TIMELINE_START + 5 * DAY_MS + rng.uniform(9, 17) * HOUR_MS;
    const depth = rng.chance(0.7) ? 0 : 1;
    const slot = plantDeploy(main, workTime(rng), [
      group.files[Math.min(depth, group.files.length - 1)],
      ...main.randomFiles().slice(0, 1),
    ]);
    [main, ...deps].forEach(s => s.build());
    const onset = slot.built!.finish + rng.uniform(2, 30) * MINUTE;
    group.effects.push({
      from: resolvedAt - 2 * HOUR_MS,
      to: onset,
      factor: 0,
    });
    group.effects.push({
      from: onset,
      to: onset + 8 * HOUR_MS,
      factor: peakFor(rng.uniform(12, 60), onset) / group.peakRate,
    });
    main.deliveries.push({
      at: resolvedAt,
      type: 'status',
      status: {
        entityRef: main.entityRef,
        source: 'sentry',
        fingerprint: group.fingerprint,
        status: 'resolved',
        at: resolvedAt,
      },
    });
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: onset,
      },
      description: `an error of ${main.profile.name} resolved two days earlier came back after a deployment`,
    };
  },

  'analytics-only': context => {
    const { rng } = context;
    const profile = rng.pick([
      byName('storefront'),
      byName('storefront'),
      byName('checkout-api'),
      byName('auth-service'),
      byName('search'),
    ]);
    const { main, deps } = world(context, { main: profile });
    const metric = main.metrics[rng.integer(0, main.metrics.length - 1)];
    const storefrontModule =
      metric.key === 'added_to_cart' ? 'basket' : 'checkout';
    const module =
      profile.name === 'storefront'
        ? storefrontModule
        : rng.pick(profile.modules);
    const changed = [
      ...rng.sample(main.filesOf(module), rng.integer(1, 3)),
      ...(rng.chance(0.5) ? main.randomFiles() : []),
    ];
    const slot = plantDeploy(
      main,
      workTime(rng),
      [...new Set(changed)],
      `Redesign ${module} step`,
    );
    [main, ...deps].forEach(s => s.build());
    const onset = slot.built!.finish + rng.uniform(1, 30) * MINUTE;
    metric.effects.push({
      from: onset,
      to: onset + DAY_MS,
      factor: rng.uniform(0.3, 0.65),
    });
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: onset,
      },
      description: `${metric.key} of ${profile.name} fell after a deployment, with no errors`,
    };
  },

  'incident-no-errors': context => {
    const { rng, variant } = context;
    const { main, deps } = world(context);
    let culprit: string;
    let incidentAt: number;
    if (variant % 5 < 3) {
      const at = workTime(rng);
      main.clearDeploysNear(at, 45 * MINUTE);
      culprit = main.addChangeEvent(
        at,
        rng.pick([
          'Reduced database connection pool to 5',
          'Lowered request timeout to 200ms',
          'Enabled feature flag bulk-pricing for 100% of users',
        ]),
      );
      [main, ...deps].forEach(s => s.build());
      incidentAt = at + rng.uniform(5, 20) * MINUTE;
    } else {
      const slot = plantDeploy(
        main,
        workTime(rng),
        main.randomFiles(),
        'Switch to the new cache client',
      );
      [main, ...deps].forEach(s => s.build());
      culprit = slot.built!.externalId;
      incidentAt = slot.built!.finish + rng.uniform(5, 20) * MINUTE;
    }
    return {
      sims: [main, ...deps],
      expected: { type: 'culprit', culprit, onsetAt: incidentAt },
      description: `an incident on ${main.profile.name} (latency) with no error rise`,
      extra: incident(
        main,
        incidentAt,
        `${main.profile.name}: p99 latency above 2s`,
        rng,
      ),
    };
  },

  'release-match': context => {
    const { rng } = context;
    const { main, deps } = world(context, { main: byName('storefront') });
    const at = workTime(rng, 9, 14);
    const slot = plantDeploy(
      main,
      at,
      main.randomFiles(),
      'Upgrade the payment widget',
    );
    [main, ...deps].forEach(s => s.build());
    const onset = slot.built!.finish + rng.uniform(15, 40) * MINUTE;
    main.clearDeploysNear(onset, 60 * MINUTE);
    main.addChangeEvent(
      onset - rng.uniform(2, 10) * MINUTE,
      `Feature flag ${rng.pick([
        'promo-banner',
        'new-header',
      ])} enabled for 50% of users`,
    );
    const bundle = `app:///static/js/main.${rng.hex(8)}.js`;
    main.addGroup({
      peakRate: peakFor(rng.uniform(20, 90), onset),
      start: onset,
      title: `TypeError: Cannot read properties of null (reading '${rng.pick([
        'price',
        'total',
        'id',
      ])}')`,
      files: [],
      frames: [
        { filename: bundle, function: 'e.render', lineno: 1, inApp: true },
        { filename: bundle, function: 't', lineno: 1, inApp: true },
        {
          filename: 'app:///static/js/vendor.js',
          function: 'Xo',
          lineno: 2,
          inApp: false,
        },
      ],
    });
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: onset,
      },
      description:
        'a new error in minified code (no file matches) first seen in the release of a deployment, with a flag change just before it',
    };
  },

  'no-culprit': context => {
    const { rng, variant } = context;
    const kind = [
      'surge',
      'surge',
      'surge',
      'third-party',
      'third-party',
      'third-party',
      'incident',
      'incident',
      'metric',
      'metric',
    ][variant % 10];
    if (kind === 'surge') {
      const { main, deps } = world(context, { level: 'medium' });
      const onset = workTime(rng, 10, 20);
      main.clearDeploysNear(onset - 30 * MINUTE, 30 * MINUTE);
      [main, ...deps].forEach(s => s.build());
      const hit = rng.sample(
        main.groups.filter(g => g.start === TIMELINE_START),
        Math.min(3, main.groups.length),
      );
      const total = main.groups.reduce((s, g) => s + g.peakRate, 0);
      const hitTotal = hit.reduce((s, g) => s + g.peakRate, 0);
      const factor = 1 + (rng.uniform(4, 8) * total) / hitTotal;
      for (const g of hit)
        g.effects.push({
          from: onset,
          to: onset + rng.uniform(2, 4) * HOUR_MS,
          factor,
        });
      return {
        sims: [main, ...deps],
        expected: { type: 'no_culprit', onsetAt: onset },
        description: `a traffic surge raised errors in ${main.profile.name}; no change caused it`,
      };
    }
    if (kind === 'third-party') {
      const { main, deps } = world(context, {
        main: rng.pick(SERVICES.filter(s => s.kind === 'service')),
        level: 'medium',
      });
      const onset = workTime(rng);
      const module = rng.pick(main.profile.modules);
      main.clearDeploysNear(onset, 60 * MINUTE);
      main.slots.push({
        at: onset - rng.uniform(12, 40) * MINUTE,
        planted: { files: main.randomFiles(module), title: 'Improve logging' },
      });
      [main, ...deps].forEach(s => s.build());
      main.addGroup({
        peakRate: peakFor(rng.uniform(20, 80), onset),
        start: onset,
        title: context.draw.classic
          ? 'Error: connect ETIMEDOUT 52.84.150.12:443'
          : remoteFailureTitle(
              main.profile,
              context.draw.rng.pick(['timeout', 'refused'] as const),
              'api.stripe.com',
              context.draw.rng,
            ),
        files: [httpFileOf(main.profile), main.filesOf(module)[0]],
        library: context.draw.classic
          ? '/usr/src/app/node_modules/stripe/lib/net/NodeHttpClient.js'
          : callFrame(main.profile, 'http'),
      });
      return {
        sims: [main, ...deps],
        expected: { type: 'no_culprit', onsetAt: onset },
        description: `a third-party API timed out for ${main.profile.name}; a deployment shortly before touched unrelated code`,
      };
    }
    if (kind === 'incident') {
      const { main, deps } = world(context);
      const onset = EVAL_DAY + rng.uniform(2, 6) * HOUR_MS;
      [main, ...deps].forEach(s => s.build());
      removeChangesBefore(main, onset, 6 * HOUR_MS);
      return {
        sims: [main, ...deps],
        expected: { type: 'no_culprit', onsetAt: onset },
        description: `an incident on ${main.profile.name} at night with no recent change`,
        extra: incident(
          main,
          onset,
          `${main.profile.name}: health check failing`,
          rng,
        ),
      };
    }
    const { main, deps } = world(context, {
      main: rng.pick([byName('storefront'), byName('checkout-api')]),
    });
    const onset = workTime(rng, 10, 16);
    main.clearDeploysNear(onset - 60 * MINUTE, 60 * MINUTE);
    [main, ...deps].forEach(s => s.build());
    removeChangesBefore(main, onset, 2 * HOUR_MS);
    main.metrics[0].effects.push({
      from: onset,
      to: onset + DAY_MS,
      factor: rng.uniform(0.4, 0.6),
    });
    return {
      sims: [main, ...deps],
      expected: { type: 'no_culprit', onsetAt: onset },
      description: `${main.metrics[0].key} of ${main.profile.name} fell when a marketing campaign ended; no change caused it`,
    };
  },

  'config-push': context => {
    // A flag or configuration push minutes before a new error, in code an older deployment
    // touched hours before and that ran clean since.
    const { rng } = context;
    const { main, deps } = world(context, {
      level: rng.pick(['medium', 'busy'] as const),
    });
    const module = rng.pick(main.profile.modules);
    const bug = plantBug(main, module);
    const at = workTime(rng, 11, 17);
    main.clearDeploysNear(at, 40 * MINUTE);
    const older = rng.chance(0.6)
      ? plantDeploy(main, at - rng.uniform(1.5, 5) * HOUR_MS, bug.changed)
      : undefined;
    const culprit = main.addChangeEvent(
      at,
      rng.pick([
        `Feature flag ${module}-v2 enabled for 100% of users`,
        `Config push: ${module} client timeout 2000ms -> 200ms`,
        `Config push: ${module} rate limit 50 -> 5 requests per second`,
        `Feature flag async-${module} enabled for 50% of users`,
      ]),
    );
    [main, ...deps].forEach(s => s.build());
    const onset = at + rng.uniform(1, 6) * MINUTE;
    main.addGroup({
      peakRate: peakFor(rng.uniform(20, 100), onset),
      start: onset,
      module,
      files: bug.frames,
    });
    return {
      sims: [main, ...deps],
      expected: { type: 'culprit', culprit, onsetAt: onset },
      description: `a flag or config push in ${
        main.profile.name
      } minutes before a new error${
        older ? ', in code a deployment hours earlier had changed' : ''
      }`,
    };
  },

  'dependency-bump': context => {
    // A deployment that only bumps a library: no changed file can be in the frames, but the
    // library's frame tops the new error's stack and timing and release point at it.
    const { rng } = context;
    const { main, deps } = world(context, {
      main: rng.pick(SERVICES.filter(s => s.kind === 'service')),
      level: rng.pick(['medium', 'busy'] as const),
    });
    const module = rng.pick(main.profile.modules);
    const files = main.filesOf(module);
    const at = workTime(rng);
    const library = rng.pick(['http', 'data', 'cloud'] as const);
    const slot = plantDeploy(
      main,
      at,
      manifestsOf(main.profile),
      `Bump ${
        {
          http: 'the HTTP client',
          data: 'the database driver',
          cloud: 'the AWS SDK',
        }[library]
      } to the next minor version`,
    );
    [main, ...deps].forEach(s => s.build());
    const onset = slot.built!.finish + latentDelay(rng);
    main.addGroup({
      peakRate: peakFor(rng.uniform(20, 100), onset),
      start: onset,
      module,
      files: [rng.pick(files.slice(0, -1)), files[files.length - 1]],
      library: callFrame(main.profile, library),
    });
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: onset,
      },
      description: `a dependency bump of ${main.profile.name} broke ${library} calls (no changed file in the frames)`,
    };
  },

  'small-pr-after-refactor': context => {
    // A refactor hours earlier touched every file of the module; the small change minutes
    // before the onset touched the file that throws.
    const { rng } = context;
    const { main, deps } = world(context, {
      level: rng.pick(['medium', 'busy'] as const),
    });
    const module = rng.pick(main.profile.modules);
    const bug = plantBug(main, module);
    const at = workTime(rng, 12, 17);
    const refactor = plantDeploy(
      main,
      at - rng.uniform(2, 5) * HOUR_MS,
      [...main.filesOf(module), ...main.randomFiles(module)],
      `Refactor the ${module} module`,
    );
    const culprit = plantDeploy(main, at, bug.changed.slice(0, 1));
    [main, ...deps].forEach(s => s.build());
    const onset = culprit.built!.finish + rng.uniform(1, 10) * MINUTE;
    main.addGroup({
      peakRate: peakFor(rng.uniform(20, 100), onset),
      start: onset,
      module,
      files: bug.frames,
    });
    return {
      sims: [main, ...deps],
      expected: {
        type: 'culprit',
        culprit: culprit.built!.externalId,
        onsetAt: onset,
      },
      description: `a small change to ${
        main.profile.name
      } minutes before a new error, after a refactor (${
        refactor.planted!.files.length
      } files) of the same module hours earlier`,
    };
  },

  'dependency-chain': context => {
    // main -> middle -> (bottom -> leaf): the middle service's bad deployment breaks main's
    // calls to it; main's own deployment hours earlier once changed its client of the middle.
    const { rng, variant } = context;
    const chain = rng.sample(
      SERVICES.filter(s => s.kind === 'service' && s.name !== 'search'),
      variant % 2 === 0 ? 3 : 4,
    );
    const [mainProfile, middle, ...below] = chain;
    const { main, deps } = world(context, {
      main: rng.chance(0.3)
        ? SERVICES.find(s => s.kind === 'website')!
        : mainProfile,
      dependencies: [middle],
      level: 'medium',
    });
    const mid = deps[0];
    const lower = below.map(
      p =>
        new EntitySim(
          rng,
          context.id,
          context.draw.profile(p),
          [],
          TIMELINE_START,
          HISTORY_DAYS + 1,
          { pr: 1500 + rng.integer(0, 200) },
          context.draw.entityStyle(),
        ),
    );
    let above = mid;
    for (const sim of lower) {
      above.context.dependsOn.push(sim.entityRef);
      sim.planErrors(rng.pick(['quiet', 'medium'] as const));
      sim.planDeploys();
      sim.planOperationalChanges();
      above = sim;
    }
    const bugModule = rng.pick(mid.profile.modules);
    const bug = plantBug(mid, bugModule);
    const slot = plantDeploy(mid, workTime(rng), bug.changed);
    mid.build();
    const onset = slot.built!.finish + rng.uniform(1, 10) * MINUTE;
    main.slots.push({
      at: onset - rng.uniform(1.5, 5) * HOUR_MS,
      planted: {
        files: [clientFile(main, middle), ...main.randomFiles().slice(0, 2)],
        title: `Retry calls to ${middle.name}`,
      },
    });
    main.clearDeploysNear(onset - 10 * MINUTE, 25 * MINUTE);
    [main, ...lower].forEach(s => s.build());
    if (rng.chance(0.75))
      mid.addGroup({
        peakRate: peakFor(rng.uniform(15, 60), onset),
        start: onset,
        module: bugModule,
        files: bug.frames,
      });
    else mid.reportsErrors = false;
    const clientOnset = onset + rng.uniform(0.5, 3) * MINUTE;
    const clientModule = rng.pick(main.profile.modules);
    main.addGroup({
      peakRate: peakFor(rng.uniform(25, 100), clientOnset),
      start: clientOnset,
      title: upstreamFailure(main, middle.name, context.draw),
      files: [
        clientFile(main, middle),
        main.filesOf(clientModule)[0],
        main.filesOf(clientModule).slice(-1)[0],
      ],
      library: callFrame(main.profile, 'http'),
    });
    return {
      sims: [main, mid, ...lower],
      expected: {
        type: 'culprit',
        culprit: slot.built!.externalId,
        onsetAt: clientOnset,
      },
      description: `a chain of ${
        chain.length - 1 + 1
      } services: a bad deployment of ${middle.name} broke calls from ${
        main.profile.name
      }, whose own deployment hours earlier changed its client`,
    };
  },

  'external-outage': context => {
    // Failures on the far side of calls, after public postmortems: the AWS us-east-1 outage
    // of 7 December 2021 (cloud SDK endpoints unreachable), the expiry of Let's Encrypt's DST
    // Root CA X3 on 30 September 2021 (certificate verification failed), Slack's DNSSEC outage
    // of 30 September 2021 and Facebook's of 4 October 2021 (names not resolving), and
    // Fastly's of 8 June 2021 (503s from the CDN in front of a partner's API). A deployment of
    // unrelated code went out shortly before.
    const { rng, variant, draw } = context;
    const cause = (
      ['cloud_endpoint', 'certificate', 'dns', 'unavailable'] as const
    )[variant % 4];
    const { main, deps } = world(context, {
      main: rng.pick(SERVICES.filter(s => s.kind === 'service')),
      level: 'medium',
    });
    const onset = workTime(rng);
    const module = rng.pick(main.profile.modules);
    main.clearDeploysNear(onset, 60 * MINUTE);
    main.slots.push({
      at: onset - rng.uniform(10, 40) * MINUTE,
      planted: { files: main.randomFiles(module), title: 'Improve logging' },
    });
    [main, ...deps].forEach(s => s.build());
    const host = {
      cloud_endpoint: 'dynamodb.us-east-1.amazonaws.com',
      certificate: 'api.partner-shipping.com',
      dns: 'api.partner-shipping.com',
      unavailable: 'api.reviews-widget.com',
    }[cause];
    const files = main.filesOf(module);
    main.addGroup({
      peakRate: peakFor(rng.uniform(20, 80), onset),
      start: onset,
      title: remoteFailureTitle(main.profile, cause, host, draw.rng),
      files:
        cause === 'cloud_endpoint'
          ? [files[1], files[0], files[files.length - 1]]
          : [httpFileOf(main.profile), files[0], files[files.length - 1]],
      library: callFrame(
        main.profile,
        cause === 'cloud_endpoint' ? 'cloud' : 'http',
      ),
    });
    return {
      sims: [main, ...deps],
      expected: { type: 'no_culprit', onsetAt: onset },
      description: `calls from ${main.profile.name} to ${host} failed (${cause}); a deployment shortly before touched unrelated code`,
    };
  },

  'traffic-surge': context => {
    // A campaign or a mention sends 3-6 times the usual traffic: every error and the key
    // metrics rise together. A deployment an hour or so before changed shared files.
    const { rng } = context;
    const { main, deps } = world(context, {
      main: rng.pick(SERVICES.filter(s => s.keyMetrics.length > 0)),
      level: rng.pick(['medium', 'busy'] as const),
    });
    const onset = workTime(rng, 10, 17);
    main.clearDeploysNear(onset - 20 * MINUTE, 20 * MINUTE);
    main.slots.push({
      at: onset - rng.uniform(40, 120) * MINUTE,
      planted: {
        files: [...main.randomFiles(), ...main.files.slice(-3)],
        title: 'Tidy shared helpers',
      },
    });
    [main, ...deps].forEach(s => s.build());
    const factor = rng.uniform(3, 6);
    const to = onset + rng.uniform(3, 5) * HOUR_MS;
    for (const g of main.groups)
      g.effects.push({
        from: onset,
        to,
        factor: factor * rng.uniform(0.9, 1.1),
      });
    for (const m of main.metrics)
      m.effects.push({
        from: onset,
        to,
        factor: factor * rng.uniform(0.9, 1.1),
      });
    return {
      sims: [main, ...deps],
      expected: { type: 'no_culprit', onsetAt: onset },
      description: `a traffic surge (${factor.toFixed(
        1,
      )}x) raised every error and key metric of ${main.profile.name} together`,
    };
  },

  'metric-drop-wide': context => {
    // A key metric falls when a campaign ends; a deployment of unrelated code lies inside the
    // hour the drop can only be placed in.
    const { rng } = context;
    const { main, deps } = world(context, {
      main: rng.pick([byName('storefront'), byName('checkout-api')]),
    });
    const onset = workTime(rng, 10, 16);
    main.clearDeploysNear(onset - 60 * MINUTE, 60 * MINUTE);
    main.clearDeploysNear(onset, 60 * MINUTE);
    const hourStart = Math.floor(onset / HOUR_MS) * HOUR_MS;
    main.slots.push({
      at: hourStart + rng.uniform(5, 40) * MINUTE,
      planted: {
        files: main.randomFiles().filter(f => !/checkout/i.test(f)),
        title: 'Update account settings copy',
      },
    });
    [main, ...deps].forEach(s => s.build());
    removeChangesBefore(main, hourStart - 2 * HOUR_MS, 2 * HOUR_MS);
    main.metrics[0].effects.push({
      from: onset,
      to: onset + DAY_MS,
      factor: rng.uniform(0.4, 0.6),
    });
    return {
      sims: [main, ...deps],
      expected: { type: 'no_culprit', onsetAt: onset },
      description: `${main.metrics[0].key} of ${main.profile.name} fell when a campaign ended, with an unrelated deployment inside the hour of the drop`,
    };
  },

  quiet: context => {
    const { main, deps } = world(context, {
      days: 2 * HISTORY_DAYS,
      level: (['quiet', 'medium', 'busy'] as const)[context.variant % 3],
    });
    [main, ...deps].forEach(s => s.build());
    return {
      sims: [main, ...deps],
      expected: { type: 'quiet' },
      description: `a week of ordinary noise, deployments and changes in ${main.profile.name}`,
    };
  },

  'upstream-data-push': upstreamDataPush,
  'partial-rollout': partialRollout,
};

/** How many scenarios of each family the suite holds. */
export const FAMILY_SIZES: Record<string, number> = {
  'new-error-after-deploy': 10,
  'spike-existing-group': 8,
  'close-deploys': 8,
  'upstream-dependency': 8,
  regression: 5,
  'analytics-only': 6,
  'incident-no-errors': 5,
  'release-match': 4,
  'no-culprit': 10,
  'config-push': 5,
  'dependency-bump': 5,
  'small-pr-after-refactor': 4,
  'dependency-chain': 6,
  'external-outage': 8,
  'traffic-surge': 4,
  'metric-drop-wide': 2,
  quiet: 10,
  // Added last, so the seeds (and so the scenarios) of the families above stay as they were.
  'upstream-data-push': 6,
  'partial-rollout': 6,
};

/** The families of the generator's first world, which the tests replay. */
export const FIRST_WORLD_FAMILIES = [
  'new-error-after-deploy',
  'spike-existing-group',
  'close-deploys',
  'upstream-dependency',
  'regression',
  'analytics-only',
  'incident-no-errors',
  'release-match',
  'no-culprit',
  'quiet',
];

/**
 * Families whose scenarios have no culprit: the answer is "not enough evidence". Some of
 * `upstream-data-push` have none too (a push nothing records), the others a culprit.
 */
export const NO_CULPRIT_FAMILIES = new Set([
  'no-culprit',
  'external-outage',
  'traffic-surge',
  'metric-drop-wide',
]);

/** Which line of the postmortem record a family of external causes follows. */
export const POSTMORTEMS: Record<string, string> = {
  'external-outage':
    "AWS us-east-1 (7 Dec 2021), Let's Encrypt DST Root CA X3 expiry (30 Sep 2021), Slack DNSSEC (30 Sep 2021) and Facebook (4 Oct 2021) DNS, Fastly (8 Jun 2021)",
  'upstream-data-push':
    'Google Cloud Service Control (12 Jun 2025: a quota policy push replicated globally hit a null-pointer path shipped weeks earlier), CrowdStrike (19 Jul 2024: channel file 291 pushed to every host)',
  'partial-rollout':
    'Knight Capital (1 Aug 2012: a deployment missed one of eight servers, which ran retired code behind a repurposed flag), and canary and rolling-deployment incidents',
};

function incident(
  sim: EntitySim,
  at: number,
  title: string,
  rng: Random,
): Delivery[] {
  const base = {
    entityRef: sim.entityRef,
    source: 'pagerduty' as const,
    externalId: `Q${rng.hex(10).toUpperCase()}`,
    title,
    urgency: 'high',
    createdAt: at,
    url: `https://acme.pagerduty.com/incidents/${rng.hex(8)}`,
  };
  const acknowledged = at + rng.uniform(3, 15) * MINUTE;
  return [
    {
      at,
      type: 'incident',
      incident: { ...base, status: 'triggered' },
      timeline: [],
    },
    {
      at: acknowledged,
      type: 'incident',
      incident: {
        ...base,
        status: 'acknowledged',
        acknowledgedAt: acknowledged,
        assignees: ['on-call'],
      },
      timeline: [],
    },
  ];
}

/**
 * Builds one scenario of a family. Seeds of the benchmark are `seedBase + index`; the
 * calibration is fitted on another `seedBase`, so it never sees the timelines it is judged on.
 */
export function buildScenario(
  family: string,
  variant: number,
  seed: number,
  worldKind: 'classic' | 'varied' = 'varied',
): Scenario {
  const rng = new Random(seed);
  const id = `s${seed}`;
  const draw = worldKind === 'classic' ? classicWorld(seed) : drawWorld(seed);
  const built = families[family]({ rng, id, variant, draw });
  const deliveries: Delivery[] = [...(built.extra ?? [])];
  const releases = new Map<string, { at: number; sha: string }[]>();
  const traffic = new Map<string, { dayFactors: number[] }>();
  for (const sim of built.sims) {
    deliveries.push(...sim.deliveries);
    const days = sim.days;
    for (const metric of sim.metrics) {
      for (let hour = 0; hour < days * 24; hour++) {
        const start = TIMELINE_START + hour * HOUR_MS;
        const factor = metric.effects
          .filter(
            e => start + HOUR_MS / 2 >= e.from && start + HOUR_MS / 2 < e.to,
          )
          .reduce((f, e) => f * e.factor, 1);
        const mean =
          metric.peak *
          season(start + HOUR_MS / 2) *
          sim.dayFactors[Math.floor(hour / 24)] *
          rng.lognormal(0.07) *
          factor;
        deliveries.push({
          at: start + HOUR_MS + 5 * MINUTE,
          type: 'metric',
          point: {
            entityRef: sim.entityRef,
            metric: metric.key,
            bucketStart: start,
            count: rng.poisson(mean),
          },
        });
      }
    }
    releases.set(
      sim.entityRef,
      sim.slots
        .filter(s => s.built)
        .map(s => ({ at: s.built!.finish, sha: s.built!.sha }))
        .sort((a, b) => a.at - b.at),
    );
    traffic.set(sim.entityRef, { dayFactors: sim.dayFactors });
  }
  deliveries.sort((a, b) => a.at - b.at);
  deliveries.forEach(roundTimes);
  const quiet = built.expected.type === 'quiet';
  const onset = built.expected.type === 'quiet' ? 0 : built.expected.onsetAt;
  return {
    id,
    family,
    seed,
    description: built.description,
    entities: built.sims.map(s => s.context),
    groups: built.sims.filter(s => s.reportsErrors).flatMap(s => s.groups),
    deliveries,
    releases,
    reportsErrors: new Set(
      built.sims.filter(s => s.reportsErrors).map(s => s.entityRef),
    ),
    traffic,
    start: TIMELINE_START,
    evaluateFrom: quiet ? EVAL_DAY : Math.round(onset - 3 * HOUR_MS),
    evaluateTo: quiet
      ? EVAL_DAY + HISTORY_DAYS * DAY_MS
      : Math.round(onset + 4 * HOUR_MS),
    stepMs: quiet ? HOUR_MS : 15 * MINUTE,
    expected: built.expected,
  };
}

/** The labelled suite: every family at its size, seeds from `seedBase`. */
export function buildSuite(
  seedBase = 1,
  worldKind: 'classic' | 'varied' = 'varied',
): Scenario[] {
  const scenarios: Scenario[] = [];
  let seed = seedBase;
  for (const [family, size] of Object.entries(FAMILY_SIZES)) {
    for (let variant = 0; variant < size; variant++)
      scenarios.push(buildScenario(family, variant, seed++, worldKind));
  }
  return scenarios;
}

/**
 * Seeds of the two splits. The calibration is fitted on the training suites only, and
 * development looks at them only; the held-out suites are for reporting.
 */
export const SPLITS = {
  training: [10_001, 20_001],
  'held-out': [50_001, 60_001],
} as const;

/** Sources report whole milliseconds. */
function roundTimes(delivery: Delivery) {
  const round = (ms: number | undefined) =>
    ms === undefined ? undefined : Math.round(ms);
  if (delivery.type === 'change') {
    delivery.change.occurredAt = Math.round(delivery.change.occurredAt);
    delivery.change.finishedAt = round(delivery.change.finishedAt);
  } else if (delivery.type === 'incident') {
    delivery.incident.createdAt = Math.round(delivery.incident.createdAt);
    delivery.incident.acknowledgedAt = round(delivery.incident.acknowledgedAt);
  } else if (delivery.type === 'status') {
    delivery.status.at = Math.round(delivery.status.at);
  }
}
