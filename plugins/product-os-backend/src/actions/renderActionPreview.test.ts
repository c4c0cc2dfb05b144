import { quoteUntrusted } from './renderActionPreview';

describe('quoteUntrusted', () => {
  it('keeps outside text inside one code span, whatever backticks it holds', () => {
    expect(quoteUntrusted('a `b` c')).toBe('``a `b` c``');
    expect(quoteUntrusted('``` ok')).toBe('```` ``` ok ````');
    expect(quoteUntrusted('ends with `')).toBe('`` ends with ` ``');
  });

  it('puts text on one line, so it cannot start a heading, a list or a block', () => {
    expect(
      quoteUntrusted(
        'Error\n# Heading\n\n- item\n<img src=x onerror=alert(1)>',
      ),
    ).toBe('`Error # Heading - item <img src=x onerror=alert(1)>`');
  });

  it('breaks mentions and truncates', () => {
    expect(quoteUntrusted('@acme/security ping')).toBe(
      '`@\u200bacme/security ping`',
    );
    expect(quoteUntrusted('x'.repeat(500), 10)).toBe(`\`${'x'.repeat(9)}…\``);
    expect(quoteUntrusted('   ')).toBe('(empty)');
  });
});
