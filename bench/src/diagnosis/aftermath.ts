import type { Diagnosis } from '@internal/plugin-product-os-common';
import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import { Random } from '@internal/product-os-demo/src/product/random';
import { continueTrouble, troubleGroups } from './continueTrouble';
import type { Delivery, Scenario } from './model';
import { AUTHORS } from './services';

const MINUTE = 60_000;
/** How long after the replay's last step a scenario is followed: past the outcomes' 3-day deadline. */
export const AFTERMATH_MS = 4 * DAY_MS;

/**
 * What happens after a diagnosis, drawn from the scenario's seed (a stream of its own, so the
 * scenario's draws stay as they were). People act on what the agent said, and the simulated
 * world answers: the trouble stops when the culprit's code stops running (a rollback to a
 * deployment from before it, a revert of it shipped, a fix forward), or on its own when there
 * was no culprit; until then its errors, key metrics and incidents go on. The mix, per case:
 *
 * A culprit, and the diagnosis' top suspect is it (named, or ranked first without enough
 * evidence): rolled back 55 % (reverted where it cannot be), reverted 20 %, fixed forward 12 %
 * (another change, then recovery), nothing for days 13 % (the errors go on past the deadline);
 * a person rejects a right suspect 4 % of the time (then fixes forward hours later).
 * A culprit, and the named suspect is another change: rejected with a reason 40 % (the culprit
 * undone 1-8 h later), the wrong suspect rolled back first 30 % (the trouble goes on unless that
 * rollback also took the culprit out, then the culprit is undone 2-6 h later), the culprit undone
 * directly 20 %, nothing for days 10 %.
 * A culprit, not named and not ranked first: the culprit undone 55 %, fixed forward 15 %,
 * nothing 30 %.
 * No culprit: the trouble still going stops on its own 0.5-10 h later (90 %) or goes on for
 * days (10 %); a named suspect is rejected 45 %, rolled back anyway 30 % (which does not help),
 * left alone 25 %; "not enough evidence" gets its first-ranked change rolled back "just in case"
 * 10 %; an unrelated deployment of the entity goes out while the trouble lasts 25 %.
 * Deployments of the scenario's entities planned after the replay are held back (a freeze while
 * the trouble is looked at); the aftermath's own changes replace them.
 */
export interface Aftermath {
  /** The scenario continued: its trouble ended as the story ends it, with what people did. */
  scenario: Scenario;
  /** Where the continuation starts: just after the replay's last step. */
  from: number;
  /** When the story is over and the outcome is judged. */
  until: number;
  rejection?: { reason: string; by: string; at: number };
  /** When the trouble stopped in the simulation; undefined while it was still going at `until`. */
  stoppedAt?: number;
  /** What people did, in order, for the benchmark's lines. */
  story: string[];
}

/** A change people ship, and whether it takes the culprit's code out. */
interface Shipped {
  live: number;
  removesCulprit: boolean;
}

class AftermathPlan {
  private readonly rng: Random;
  private readonly from: number;
  private readonly until: number;
  private readonly changes: Map<string, ChangeEventInput>;
  private readonly added: Delivery[] = [];
  private readonly releases: Scenario['releases'];
  private readonly story: string[] = [];
  private rejection?: Aftermath['rejection'];
  private prNumber: number;
  private counter = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly diagnosis: Diagnosis | undefined,
  ) {
    this.rng = new Random(scenario.seed * 104_729 + 7);
    this.from = scenario.evaluateTo + 1;
    this.until = scenario.evaluateTo + AFTERMATH_MS;
    this.changes = new Map();
    for (const d of scenario.deliveries)
      if (d.type === 'change' && d.at < this.from)
        this.changes.set(d.change.externalId, d.change);
    this.prNumber = Math.max(
      0,
      ...[...this.changes.values()].map(c => c.number ?? 0),
    );
    this.releases = new Map(
      [...scenario.releases].map(([ref, list]) => [ref, [...list]]),
    );
  }

  plan(): Aftermath {
    const { rng, scenario } = this;
    const { expected } = scenario;
    if (expected.type === 'quiet')
      throw new Error('a quiet scenario has no trouble to follow');
    const top = [...(this.diagnosis?.suspects ?? [])].sort(
      (a, b) => a.rank - b.rank,
    )[0]?.change;
    const suspect = top ? this.changes.get(top.externalId) : undefined;
    const named = this.diagnosis?.verdict === 'suspect' && !!suspect;
    const start = this.from + rng.uniform(10, 120) * MINUTE;
    let stoppedAt: number | undefined;
    if (expected.type === 'culprit') {
      const culprit = this.changes.get(expected.culprit)!;
      const stop = this.culpritStory(culprit, suspect, named, start);
      stoppedAt =
        stop === undefined ? undefined : stop + rng.uniform(2, 30) * MINUTE;
    } else {
      stoppedAt = rng.chance(0.9)
        ? this.from + rng.uniform(0.5, 10) * HOUR_MS
        : undefined;
      this.noCulpritStory(suspect, named, start, stoppedAt);
    }
    return {
      scenario: continueTrouble(this.scenario, {
        from: this.from,
        until: this.until,
        stoppedAt,
        changes: this.added,
        releases: this.releases,
        rng,
      }),
      from: this.from,
      until: this.until,
      rejection: this.rejection,
      stoppedAt,
      story: this.story,
    };
  }

  /** What people do about a culprit; when its code stopped running, if it did. */
  private culpritStory(
    culprit: ChangeEventInput,
    suspect: ChangeEventInput | undefined,
    named: boolean,
    start: number,
  ): number | undefined {
    const { rng } = this;
    const undo = (change: ChangeEventInput, at: number) =>
      rng.chance(0.7) ? this.rollback(change, at) : this.revert(change, at);
    const fixForward = (at: number) => this.fixForward(culprit, at);
    if (suspect?.externalId === culprit.externalId) {
      if (named && rng.chance(0.04)) {
        this.reject(start, 'right');
        return fixForward(start + rng.uniform(4, 20) * HOUR_MS).live;
      }
      const draw = rng.next();
      if (draw < 0.55) return this.rollback(culprit, start).live;
      if (draw < 0.75) return this.revert(culprit, start).live;
      if (draw < 0.87) return fixForward(start).live;
      this.story.push('nothing for days');
      return undefined;
    }
    const draw = rng.next();
    if (named && suspect) {
      if (draw < 0.4) {
        this.reject(start, 'wrong');
        const later = start + rng.uniform(1, 8) * HOUR_MS;
        return (rng.chance(0.75) ? undo(culprit, later) : fixForward(later))
          .live;
      }
      if (draw < 0.7) {
        const first = this.rollback(suspect, start);
        if (first.removesCulprit) return first.live;
        return undo(culprit, first.live + rng.uniform(2, 6) * HOUR_MS).live;
      }
      if (draw < 0.9) return undo(culprit, start).live;
      this.story.push('nothing for days');
      return undefined;
    }
    if (draw < 0.55) return undo(culprit, start).live;
    if (draw < 0.7) return fixForward(start).live;
    this.story.push('nothing for days');
    return undefined;
  }

  /** What people do when nothing they shipped caused it: the trouble ends when it ends. */
  private noCulpritStory(
    suspect: ChangeEventInput | undefined,
    named: boolean,
    start: number,
    stoppedAt: number | undefined,
  ) {
    const { rng } = this;
    const draw = rng.next();
    if (named && suspect && draw < 0.45) this.reject(start, 'none');
    else if (named && suspect && draw < 0.75) this.rollback(suspect, start);
    else if (!named && suspect && draw < 0.1) this.rollback(suspect, start);
    if (rng.chance(0.25)) {
      const end = stoppedAt ?? this.from + 8 * HOUR_MS;
      this.routineDeploy(
        this.scenario.entities[0].entityRef,
        rng.uniform(this.from, end),
      );
    }
    this.story.push(
      stoppedAt === undefined
        ? 'the trouble goes on for days'
        : 'the trouble ends on its own',
    );
  }

  /** A redeploy of the commit that ran before `target`, in its environment. */
  private rollback(target: ChangeEventInput, at: number): Shipped {
    const previous = this.deploymentsOf(target)
      .filter(d => d.occurredAt < target.occurredAt)
      .pop();
    if (target.kind !== 'deployment' || !previous?.sha)
      return this.revert(target, at);
    const finish = at + this.rng.uniform(2, 8) * MINUTE;
    this.deploy(target, previous.sha, at, finish, this.person());
    this.story.push(`rolled back ${target.externalId}`);
    const culprit = this.culprit();
    return {
      live: finish,
      // Going back to a commit from before the culprit takes it out, whichever change was meant.
      removesCulprit:
        !!culprit &&
        culprit.entityRef === target.entityRef &&
        culprit.kind === 'deployment' &&
        culprit.occurredAt > previous.occurredAt,
    };
  }

  /**
   * `Revert "<title>"` of the target, or of the pull request it shipped that the trouble's
   * stack runs through; a change event (a flag, a config push) is reverted by another.
   */
  private revert(target: ChangeEventInput, at: number): Shipped {
    const culprit = this.culprit();
    const removesCulprit = target.externalId === culprit?.externalId;
    if (target.kind === 'change') {
      this.changeEvent(target.entityRef, at, `Revert "${target.title}"`);
      this.story.push(`reverted ${target.externalId}`);
      return { live: at, removesCulprit };
    }
    const reverted = this.shippedPullRequest(target);
    const pr = this.pullRequest(
      target.entityRef,
      `Revert "${reverted.title}"`,
      reverted.files ?? [],
      at,
    );
    const start = at + this.rng.uniform(10, 40) * MINUTE;
    const finish = start + this.rng.uniform(3, 15) * MINUTE;
    if (this.deploymentsOf(target).length === 0) {
      this.story.push(`reverted ${reverted.externalId}`);
      return { live: at, removesCulprit };
    }
    this.deploy(target, pr.sha!, start, finish, 'deploy-bot', true);
    this.story.push(`reverted ${reverted.externalId} and deployed it`);
    return { live: finish, removesCulprit };
  }

  /** Another change that fixes the culprit's code without undoing it. */
  private fixForward(culprit: ChangeEventInput, at: number): Shipped {
    if (culprit.kind === 'change') {
      this.changeEvent(
        culprit.entityRef,
        at,
        `Raised limits back after ${culprit.title.toLowerCase()}`,
      );
    } else {
      const shipped = this.shippedPullRequest(culprit);
      const files = (shipped.files ?? []).slice(0, 2);
      const pr = this.pullRequest(
        culprit.entityRef,
        `Fix ${files[0]?.split('/').pop() ?? 'the'} regression`,
        files,
        at,
      );
      const start = at + this.rng.uniform(10, 40) * MINUTE;
      const finish = start + this.rng.uniform(3, 15) * MINUTE;
      if (this.deploymentsOf(culprit).length > 0) {
        this.deploy(culprit, pr.sha!, start, finish, 'deploy-bot', true);
        this.story.push('fixed forward');
        return { live: finish, removesCulprit: true };
      }
    }
    this.story.push('fixed forward');
    return { live: at, removesCulprit: true };
  }

  /** A deployment of routine work while the trouble lasts: it changes nothing about it. */
  private routineDeploy(entityRef: string, at: number) {
    const last = [...this.changes.values()]
      .filter(c => c.entityRef === entityRef && c.kind === 'deployment')
      .pop();
    if (!last || !this.deploymentsOf(last).length) return;
    const pr = this.pullRequest(
      entityRef,
      `Update ${this.rng.pick(['copy', 'logging', 'tests', 'types'])}`,
      [],
      at - this.rng.uniform(10, 40) * MINUTE,
    );
    this.deploy(
      last,
      pr.sha!,
      at,
      at + this.rng.uniform(3, 15) * MINUTE,
      'deploy-bot',
      true,
    );
    this.story.push('an unrelated deployment');
  }

  private reject(start: number, suspect: 'right' | 'wrong' | 'none') {
    const reasons = {
      right: [
        'Looks like load from the campaign, not this change.',
        'This passed in staging; probably the provider.',
      ],
      wrong: [
        'That deployment only changed copy and tracking; the stack trace is elsewhere.',
        'Rolled it back in staging and the error still reproduces.',
        'The failing calls go to an upstream service; this change does not touch them.',
      ],
      none: [
        "The provider's status page reports an outage.",
        'Traffic from the campaign, not a change of ours.',
        'Nothing we shipped touches this path; it started on its own.',
      ],
    }[suspect];
    this.rejection = {
      reason: this.rng.pick(reasons),
      by: this.person(),
      at: Math.round(start + this.rng.uniform(0, 60) * MINUTE),
    };
    this.story.push('rejected');
  }

  private culprit(): ChangeEventInput | undefined {
    const { expected } = this.scenario;
    return expected.type === 'culprit'
      ? this.changes.get(expected.culprit)
      : undefined;
  }

  /** The deployments that went live in the target's entity and environment, oldest first. */
  private deploymentsOf(target: ChangeEventInput): ChangeEventInput[] {
    return [...this.changes.values()]
      .filter(
        c =>
          c.kind === 'deployment' &&
          c.entityRef === target.entityRef &&
          c.status === 'success' &&
          c.environment === (target.environment ?? 'production'),
      )
      .sort((a, b) => a.occurredAt - b.occurredAt);
  }

  /**
   * The pull request a deployment shipped that the trouble's stack runs through (the one a
   * person would revert), else its last; a change that is not a deployment is its own.
   */
  private shippedPullRequest(target: ChangeEventInput): ChangeEventInput {
    if (target.kind !== 'deployment') return target;
    const before = this.deploymentsOf(target)
      .filter(d => d.occurredAt < target.occurredAt)
      .pop();
    const shipped = [...this.changes.values()]
      .filter(
        c =>
          c.kind === 'pull_request' &&
          c.entityRef === target.entityRef &&
          c.occurredAt <= target.occurredAt &&
          c.occurredAt > (before?.occurredAt ?? -Infinity),
      )
      .sort((a, b) => a.occurredAt - b.occurredAt);
    const stack = new Set(troubleGroups(this.scenario).flatMap(g => g.files));
    return (
      shipped.find(pr => (pr.files ?? []).some(f => stack.has(f))) ??
      shipped.pop() ??
      target
    );
  }

  private pullRequest(
    entityRef: string,
    title: string,
    files: string[],
    mergedAt: number,
  ): ChangeEventInput {
    const number = ++this.prNumber;
    const known = [...this.changes.values()].find(
      c => c.entityRef === entityRef && c.kind === 'pull_request',
    );
    const repo = known?.externalId.split('#')[0] ?? 'acme/webshop';
    const sha = this.rng.hex(40);
    const author = this.rng.pick(AUTHORS);
    const pr: ChangeEventInput = {
      entityRef,
      source: 'github',
      kind: 'pull_request',
      externalId: `${repo}#${number}`,
      title,
      author,
      sha,
      number,
      status: 'merged',
      url: `https://github.com/${repo}/pull/${number}`,
      occurredAt: Math.round(mergedAt),
      files,
    };
    this.push(mergedAt, pr);
    this.push(mergedAt, {
      ...pr,
      kind: 'commit',
      externalId: sha,
      title: `${title} (#${number})`,
      number: undefined,
      status: undefined,
      url: `https://github.com/${repo}/commit/${sha}`,
    });
    return pr;
  }

  /**
   * A deployment of `sha` to the entity and environment of `of`, reported as the scenario's
   * are (started, then finished; staging first for a build), modelled on its last one there.
   */
  private deploy(
    of: ChangeEventInput,
    sha: string,
    start: number,
    finish: number,
    author: string,
    staging = false,
  ) {
    const like = this.deploymentsOf(of).pop();
    if (!like) return;
    const externalId = `${like.entityRef.split('/').pop()}-after-${++this
      .counter}`;
    const deployment: ChangeEventInput = {
      ...like,
      externalId,
      title: `Deploy ${sha.slice(0, 7)} to ${like.environment ?? 'production'}`,
      author,
      sha,
      url: like.url?.replace(like.externalId, externalId),
      occurredAt: Math.round(start),
      finishedAt: undefined,
      status: 'in_progress',
      files: undefined,
    };
    if (staging) {
      const at = start - this.rng.uniform(5, 10) * MINUTE;
      this.push(at, {
        ...deployment,
        externalId: `${externalId}-staging`,
        environment: 'staging',
        title: `Deploy ${sha.slice(0, 7)} to staging`,
        status: 'success',
        occurredAt: Math.round(at),
        finishedAt: Math.round(at + 4 * MINUTE),
      });
    }
    this.push(start, deployment);
    this.push(finish, {
      ...deployment,
      status: 'success',
      finishedAt: Math.round(finish),
    });
    this.releases.get(like.entityRef)?.push({ at: Math.round(finish), sha });
  }

  private changeEvent(entityRef: string, at: number, title: string) {
    this.push(at, {
      entityRef,
      source: 'pagerduty',
      kind: 'change',
      externalId: `${entityRef.split('/').pop()}-after-change-${++this
        .counter}`,
      title,
      occurredAt: Math.round(at),
    });
  }

  private push(at: number, change: ChangeEventInput) {
    const rounded = Math.round(Math.max(at, this.from));
    this.added.push({ at: rounded, type: 'change', change });
    this.changes.set(change.externalId, change);
  }

  private person(): string {
    return `user:default/${this.rng.pick(AUTHORS)}`;
  }
}

export function planAftermath(
  scenario: Scenario,
  diagnosis: Diagnosis | undefined,
): Aftermath {
  return new AftermathPlan(scenario, diagnosis).plan();
}
