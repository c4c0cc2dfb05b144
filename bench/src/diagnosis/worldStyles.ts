import { Random } from '@internal/product-os-demo/src/product/random';
import type { Language, ServiceProfile } from './services';
import { CLASSIC_STYLE, EntityStyle, ErrorLevel } from './world';

/**
 * How one scenario's world is drawn, apart from what its family plants: each service's
 * language and stack-trace style, whether the shop is one monorepo or a repository per
 * service, each service's deploy cadence and rollout, and whether a service is noisy. Drawn
 * from a random stream of its own, so a family's draws (and the classic world the tests
 * name) do not depend on it.
 */
export interface WorldDraw {
  /** Whether this is the generator's first world (TypeScript monorepo, daily deployments). */
  classic: boolean;
  /** The random stream of the world's own draws (languages, failure wording). */
  rng: Random;
  layout: 'monorepo' | 'per-service';
  profile(profile: ServiceProfile): ServiceProfile;
  entityStyle(): EntityStyle;
  level(level: ErrorLevel): ErrorLevel;
}

const LANGUAGES: { weight: number; language: Language }[] = [
  { weight: 4, language: 'typescript' },
  { weight: 2, language: 'python' },
  { weight: 2, language: 'java' },
  { weight: 2, language: 'go' },
];

/** The first world: every draw as the generator made it before worlds were varied. */
export function classicWorld(seed: number): WorldDraw {
  return {
    classic: true,
    rng: new Random(seed * 7919 + 17),
    layout: 'monorepo',
    profile: p => p,
    entityStyle: () => CLASSIC_STYLE,
    level: l => l,
  };
}

/** A varied world for a scenario seed. */
export function drawWorld(seed: number): WorldDraw {
  const rng = new Random(seed * 7919 + 17);
  const layout = rng.chance(0.5) ? 'monorepo' : 'per-service';
  const styled = new Map<string, ServiceProfile>();
  return {
    classic: false,
    rng,
    layout,
    profile: base => {
      const known = styled.get(base.name);
      if (known) return known;
      const profile: ServiceProfile = { ...base };
      if (base.kind === 'website') {
        // Browser code: source-mapped, or a bundle whose frames no file can be found in.
        profile.frameStyle = rng.chance(0.3) ? 'bundle' : 'browser';
      } else {
        profile.language = rng.weighted(LANGUAGES).language;
      }
      if (layout === 'per-service') {
        profile.root = '';
        profile.repo = `acme/${base.name}`;
      }
      styled.set(base.name, profile);
      return profile;
    },
    entityStyle: () => ({
      cadence: rng.weighted([
        { weight: 1, value: 'hourly' as const },
        { weight: 2, value: 'daily' as const },
        { weight: 1, value: 'weekly' as const },
      ]).value,
      rollout: rng.weighted([
        { weight: 2, value: 'simple' as const },
        { weight: 2, value: 'rolling' as const },
        { weight: 1, value: 'canary' as const },
      ]).value,
    }),
    level: level => (level !== 'quiet' && rng.chance(0.2) ? 'noisy' : level),
  };
}
