import { formattedMessage, formatTemplate } from './formatLogentry';

describe('formattedMessage', () => {
  it.each([
    // The cases of Relay's own tests (normalize/logentry.rs).
    ['hello, %s!', ['world'], 'hello, world!'],
    ['hello, %(name)s!', { name: 'world' }, 'hello, world!'],
    ['hello, {}!', ['world'], 'hello, world!'],
    ['hello, {0}!', ['world'], 'hello, world!'],
    ['Here is a new {foo}', { foo: 'bar' }, 'Here is a new bar'],
    // @sentry/core's parameterize escapes a literal % as %%.
    ['%s%% of %d orders failed', ['12.5', 80], '12.5% of 80 orders failed'],
    ['got %r', ['x'], 'got "x"'],
    ['got %r and %s', [{ a: [1] }, null], 'got {"a":[1]} and null'],
    ['%05d|%-4s|%x|%.2f', [42, 'ab', 255, 3.14159], '00042|ab  |ff|3.14'],
  ])('formats %p with %p', (template, params, expected) => {
    expect(formattedMessage({ logentry: { message: template, params } })).toBe(
      expected,
    );
  });

  it('leaves the template when a parameter is missing or of the wrong shape, as Relay does', () => {
    expect(formatTemplate('hello, %s and %s', ['one'], 100)).toBeUndefined();
    expect(formatTemplate('hello, %(name)s', ['world'], 100)).toBeUndefined();
    expect(formatTemplate('hello, {name}', ['world'], 100)).toBeUndefined();
    expect(formatTemplate('no placeholders', ['x'], 100)).toBeUndefined();
    expect(
      formattedMessage({ logentry: { message: 'hello, %s', params: [] } }),
    ).toBe('hello, %s');
  });

  it('never reads inherited properties as named parameters', () => {
    expect(formatTemplate('{constructor}', {}, 100)).toBeUndefined();
    expect(formatTemplate('%(__proto__)s', {}, 100)).toBeUndefined();
  });

  it('prefers the SDK’s own formatting, and falls back to a plain message', () => {
    expect(
      formattedMessage({
        logentry: { message: 'a %s', params: ['b'], formatted: 'given' },
      }),
    ).toBe('given');
    expect(formattedMessage({ message: 'plain' })).toBe('plain');
    expect(
      formattedMessage({ message: { message: 'legacy %s', params: ['x'] } }),
    ).toBe('legacy x');
  });

  it('bounds the output, however large the parameters', () => {
    const huge = 'y'.repeat(5 * 1024 * 1024);
    const template = '%s '.repeat(2000);
    const params = Array.from({ length: 2000 }, () => huge);
    const out = formattedMessage({ logentry: { message: template, params } })!;
    expect(out.length).toBeLessThanOrEqual(8192);
    expect(out.endsWith('…')).toBe(true);

    const deep = formatTemplate(
      '%r',
      [{ a: { b: { c: { d: { e: { f: 1 } } } } } }],
      100,
    );
    expect(deep).toBe('{"a":{"b":{"c":{"d":{"e":{…}}}}}}');
    expect(
      formatTemplate('%.500e|%*d', [1, 10 ** 9, 1], 50)!.length,
    ).toBeLessThanOrEqual(50);
  });
});
