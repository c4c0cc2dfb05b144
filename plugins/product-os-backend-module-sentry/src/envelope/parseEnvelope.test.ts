import { InputError } from '@backstage/errors';
import { MAX_HEADER_BYTES, parseEnvelope } from './parseEnvelope';

const header = JSON.stringify({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc' });

function lines(...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat(
    parts.flatMap((part, index) => [
      ...(index > 0 ? [Buffer.from('\n')] : []),
      typeof part === 'string' ? Buffer.from(part) : part,
    ]),
  );
}

describe('parseEnvelope', () => {
  it('reads items with and without a length, including binary payloads with newlines', () => {
    const attachment = Buffer.from([0x00, 0x0a, 0xff, 0x0a, 0x41]);
    const envelope = parseEnvelope(
      lines(
        header,
        JSON.stringify({ type: 'event' }),
        '{"message":"hello"}',
        JSON.stringify({
          type: 'attachment',
          length: attachment.length,
          filename: 'a.bin',
        }),
        attachment,
        JSON.stringify({ type: 'session' }),
        '{"sid":"x"}',
      ),
    );
    expect(envelope.header.event_id).toBe('9ec79c33ec9942ab8353589fcb2e04dc');
    expect(envelope.items.map(item => item.header.type)).toEqual([
      'event',
      'attachment',
      'session',
    ]);
    expect(envelope.items[0].payload.toString()).toBe('{"message":"hello"}');
    expect(envelope.items[1].payload).toEqual(attachment);
    expect(envelope.items[2].payload.toString()).toBe('{"sid":"x"}');
  });

  it('accepts a trailing newline and an envelope without items', () => {
    expect(
      parseEnvelope(Buffer.from(`${header}\n{"type":"event"}\n{}\n`)).items,
    ).toHaveLength(1);
    expect(parseEnvelope(Buffer.from(`${header}\n`)).items).toEqual([]);
  });

  it.each([
    ['an empty body', Buffer.alloc(0), /Empty envelope/],
    [
      'a header that is not JSON',
      Buffer.from('{"event_id":'),
      /Envelope header is not valid JSON/,
    ],
    [
      'a header that is not an object',
      Buffer.from('[1,2]\n'),
      /Envelope header is not a JSON object/,
    ],
    [
      'an item header that is not JSON',
      lines(header, '{type: event}', '{}'),
      /Item 1 header is not valid JSON/,
    ],
    [
      'an item without a type',
      lines(header, '{"length":2}', '{}'),
      /Item 1 header has no type/,
    ],
    [
      'a payload shorter than its length (truncated)',
      lines(header, '{"type":"event","length":100}', '{"message":"cut"}'),
      /Envelope is truncated: item 1 \(event\) declares 100 bytes but 17 follow/,
    ],
    [
      'a payload longer than its length',
      lines(header, '{"type":"event","length":5}', '{"message":"too long"}'),
      /Item 1 \(event\) is longer than its declared length of 5 bytes/,
    ],
    [
      'a negative length',
      lines(header, '{"type":"event","length":-1}', '{}'),
      /Item 1 \(event\) has an invalid length/,
    ],
    [
      'an item header longer than 64 KiB (parsed on the event loop)',
      lines(
        header,
        JSON.stringify({ type: 'event', pad: 'x'.repeat(MAX_HEADER_BYTES) }),
        '{}',
      ),
      /Item 1 header is \d+ bytes; a header may be at most 65536 bytes/,
    ],
    [
      'an envelope header longer than 64 KiB',
      lines(JSON.stringify({ pad: 'x'.repeat(MAX_HEADER_BYTES) })),
      /Envelope header is \d+ bytes; a header may be at most 65536 bytes/,
    ],
  ])('refuses %s', (_name, body, message) => {
    expect(() => parseEnvelope(body)).toThrow(InputError);
    expect(() => parseEnvelope(body)).toThrow(message);
  });
});
