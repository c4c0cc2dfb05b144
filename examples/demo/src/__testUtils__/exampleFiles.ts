import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/config';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse, parseAllDocuments } from 'yaml';

const EXAMPLES = resolve(__dirname, '../../..');

/** The example catalog the portal loads (`examples/entities.yaml`), as the catalog would hold it. */
export function exampleEntities(): Entity[] {
  const text = readFileSync(resolve(EXAMPLES, 'entities.yaml'), 'utf8');
  return parseAllDocuments(text).map(document => document.toJS() as Entity);
}

/** The demo's own configuration (`examples/demo/app-config.yaml`), as `npm start` loads it. */
export function demoAppConfig(): JsonObject {
  return parse(readFileSync(resolve(EXAMPLES, 'demo/app-config.yaml'), 'utf8'));
}
