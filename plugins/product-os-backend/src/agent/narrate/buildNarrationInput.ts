import type { ChangeEvent } from '@internal/plugin-product-os-common';
import type {
  NarrationEvidence,
  NarrationInput,
} from '@internal/plugin-product-os-node';
import type { DiagnosisInput } from '../../database/anomalies/DiagnosisStore';

/** What the agent has before it stores a diagnosis. */
export interface NarrateDiagnosisInput {
  /** The deterministic diagnosis, as it would be stored. */
  diagnosis: DiagnosisInput;
  /** The change events its suspects point at (`suspects[].changeEventId`); others are ignored. */
  changes: ChangeEvent[];
}

const HEX_SHA = /^[0-9a-f]{7,40}$/i;

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Numbers and booleans of the impact are facts Product OS counted; its strings (metric names,
 * an incident's title) came from outside. Links are left out: a narration cites, it never links.
 */
function flatten(
  value: unknown,
  path: string,
  facts: Record<string, string | number | boolean>,
  text: Record<string, string>,
) {
  if (typeof value === 'number' || typeof value === 'boolean')
    facts[path] = value;
  else if (typeof value === 'string') {
    if (!path.endsWith('url')) text[path] = value;
  } else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      flatten(inner, path ? `${path}.${key}` : key, facts, text);
    }
  }
}

/**
 * Turns the deterministic diagnosis into the narrator's input: ids `I1` (impact), `E<n>`
 * (evidence, anomaly first, then per suspect), `S<rank>` (suspect changes). Every string that
 * came from outside goes into `untrusted`; only numbers, times and checked ids go into `facts`.
 */
export function buildNarrationInput({
  diagnosis,
  changes,
}: NarrateDiagnosisInput): {
  input: NarrationInput;
  origins: Map<string, string>;
  /** The entity other than the diagnosed one an item tells about (`summary`: the summary). */
  entities: Map<string, string>;
} {
  const evidence: NarrationEvidence[] = [];
  const origins = new Map<string, string>();
  const entities = new Map<string, string>();
  const other = (id: string, ref: unknown) => {
    if (typeof ref === 'string' && ref && ref !== diagnosis.entityRef)
      entities.set(id, ref);
  };
  other(
    'summary',
    diagnosis.redactable?.summary.find(part => part.entityRef)?.entityRef,
  );
  const changesById = new Map(changes.map(change => [change.id, change]));

  const impactFacts: Record<string, string | number | boolean> = {};
  const impactText: Record<string, string> = {};
  flatten(diagnosis.impact ?? {}, '', impactFacts, impactText);
  if (Object.keys(impactFacts).length || Object.keys(impactText).length) {
    evidence.push({
      id: 'I1',
      kind: 'impact',
      weight: 0,
      facts: impactFacts,
      untrusted: impactText,
    });
    origins.set('I1', 'the impact of the anomaly');
  }

  let next = 1;
  for (const item of diagnosis.evidence) {
    const id = `E${next++}`;
    evidence.push({
      id,
      kind: item.kind,
      weight: round(item.weight),
      facts: { ...item.facts },
      untrusted: { description: item.description },
    });
    origins.set(id, `evidence ${id} (${item.kind})`);
    other(id, item.facts?.entityRef);
  }

  diagnosis.suspects.forEach((suspect, index) => {
    const rank = index + 1;
    const change = changesById.get(suspect.changeEventId);
    if (change) {
      const id = `S${rank}`;
      const facts: Record<string, string | number | boolean> = {
        rank,
        score: round(suspect.score),
        confidence: round(suspect.confidence),
        changeKind: change.kind,
        occurredAt: change.occurredAt,
      };
      if (change.number !== undefined) facts.number = change.number;
      if (change.sha && HEX_SHA.test(change.sha))
        facts.sha = change.sha.slice(0, 12);
      const untrusted: Record<string, string> = { title: change.title };
      if (change.author) untrusted.author = change.author;
      if (change.environment) untrusted.environment = change.environment;
      evidence.push({
        id,
        kind: 'suspect_change',
        weight: round(suspect.score),
        suspectRank: rank,
        facts,
        untrusted,
      });
      origins.set(id, `suspect change ${id} (${change.kind})`);
      other(id, change.entityRef);
    }
    for (const item of suspect.evidence) {
      const id = `E${next++}`;
      evidence.push({
        id,
        kind: item.kind,
        weight: round(item.weight),
        suspectRank: rank,
        facts: { ...item.facts },
        untrusted: { description: item.description },
      });
      origins.set(id, `evidence ${id} (${item.kind}) of suspect ${rank}`);
      other(id, change?.entityRef);
    }
  });

  return {
    input: {
      entityRef: diagnosis.entityRef,
      summary: diagnosis.summary,
      confidence: round(diagnosis.confidence),
      evidence,
    },
    origins,
    entities,
  };
}
