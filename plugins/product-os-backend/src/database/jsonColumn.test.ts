import { columns } from './columns';

/*
 * A JSON document is serialised as it is when nothing in it needs cleaning, and through a cleaned
 * copy otherwise: both ways must store the same text as the cleaned copy always did.
 */
const payload = columns.error_events.payload;

/** What the column stored before it skipped the copy: the cleaned copy, serialised. */
function throughCopy(value: unknown): string {
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v
        .split('\u0000')
        .join('')
        .replace(
          /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
          '\uFFFD',
        );
    if (v === null || typeof v !== 'object') return v;
    const withJson = v as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === 'function') return clean(withJson.toJSON());
    if (Array.isArray(v)) return v.map(clean);
    return Object.fromEntries(
      Object.entries(v).map(([k, item]) => [clean(k) as string, clean(item)]),
    );
  };
  return JSON.stringify(clean(value)) ?? 'null';
}

/** `[1, <hole>, 3]`. */
function sparse(): unknown[] {
  const array = [1, 2, 3];
  delete array[1];
  return array;
}

describe('the JSON column', () => {
  it.each([
    ['a plain document', { a: [1, 'two', null, true, { b: 2.5 }], c: 'ü€😀' }],
    [
      'a NUL in a string and a key',
      { 'ke\u0000y': ['va\u0000lue'], m: 'a\u0000b' },
    ],
    ['a lone surrogate in a string and a key', { ['\uDC00k']: 'x \uD800 y' }],
    ['the six characters \\u0000 as text', { text: 'a \\u0000 b \\ud800' }],
    ['a date', { at: new Date(0) }],
    ['a boxed string', { s: Object('ab') }],
    ['a class instance', { m: new Map([['k', 1]]) }],
    ['integer-like keys', { b: 1, 2: 'two', a: 3, 1: 'one' }],
    ['a sparse array', sparse()],
    ['undefined and functions', { u: undefined, f: () => 1, arr: [undefined] }],
    ['a bare string', 'text\u0000'],
    ['null', null],
  ])('stores %s as its cleaned copy would be stored', (_, value) => {
    expect(payload.fit(value, 'payload')).toBe(throughCopy(value));
  });

  it('stores no NUL and no lone surrogate', () => {
    const text = payload.fit(
      { 'a\u0000': ['\uD800', { b: 'c\u0000\uDFFF' }] },
      'payload',
    );
    expect(text).toBe('{"a":["\uFFFD",{"b":"c\uFFFD"}]}');
  });

  it('refuses a document nested past the bound either way', () => {
    const nested = (depth: number, leaf: unknown): unknown =>
      depth === 0 ? leaf : { d: nested(depth - 1, leaf) };
    for (const leaf of ['plain', 'nul\u0000']) {
      expect(() => payload.fit(nested(65, leaf), 'payload')).toThrow(
        'nests deeper than 64 levels',
      );
      expect(JSON.parse(payload.fit(nested(64, leaf), 'payload'))).toBeTruthy();
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => payload.fit(cycle, 'payload')).toThrow(
      'nests deeper than 64 levels',
    );
  });
});
