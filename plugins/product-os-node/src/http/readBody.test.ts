import { PassThrough } from 'stream';
import type { Request } from 'express';
import {
  brotliCompressSync,
  constants,
  deflateRawSync,
  deflateSync,
  gzipSync,
} from 'zlib';
import { decompressBody, readRequestBody } from './readBody';

const MiB = 1024 * 1024;
const limits = { limit: MiB, decompressedLimit: 4 * MiB };

/** A request as express hands it to a route: a readable stream with headers. */
function requestOf(body: Buffer, headers: Record<string, string> = {}) {
  const stream = new PassThrough();
  stream.end(body);
  return Object.assign(stream, { headers }) as unknown as Request;
}

describe('readRequestBody', () => {
  const json = Buffer.from(JSON.stringify({ hello: 'world' }));

  it('inflates by Content-Encoding: gzip, zlib or raw deflate, and br', async () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync(json)],
      ['deflate', deflateSync(json)],
      ['deflate', deflateRawSync(json)],
      ['br', brotliCompressSync(json)],
    ] as const) {
      const read = await readRequestBody(
        requestOf(body, { 'content-encoding': encoding }),
        limits,
      );
      expect(read.toString()).toBe(json.toString());
    }
  });

  it('inflates gzip without Content-Encoding only when asked to sniff its magic bytes', async () => {
    const body = gzipSync(json);
    expect(
      (
        await readRequestBody(requestOf(body), limits, { sniffGzip: true })
      ).toString(),
    ).toBe(json.toString());
    expect(await readRequestBody(requestOf(body), limits)).toEqual(body);
    // Plain JSON is left as it is.
    expect(
      (
        await readRequestBody(requestOf(json), limits, { sniffGzip: true })
      ).toString(),
    ).toBe(json.toString());
  });

  it('refuses a body over the wire limit and a bomb over the inflated limit with 413', async () => {
    await expect(
      readRequestBody(requestOf(Buffer.alloc(MiB + 1, ' ')), limits),
    ).rejects.toMatchObject({ name: 'PayloadTooLargeError' });
    // Five times the inflated limit. Brotli at its default quality takes seconds of CPU to
    // compress megabytes, so the bomb is packed at a low quality: it inflates the same.
    const bomb = Buffer.alloc(5 * limits.decompressedLimit, ' ');
    for (const [encoding, body] of [
      ['gzip', gzipSync(bomb)],
      ['deflate', deflateSync(bomb)],
      [
        'br',
        brotliCompressSync(bomb, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 1 },
        }),
      ],
    ] as const) {
      await expect(
        readRequestBody(
          requestOf(body, { 'content-encoding': encoding }),
          limits,
        ),
      ).rejects.toMatchObject({
        name: 'PayloadTooLargeError',
        message: expect.stringMatching(/decompresses to more than/),
      });
    }
    await expect(
      readRequestBody(requestOf(gzipSync(bomb)), limits, { sniffGzip: true }),
    ).rejects.toMatchObject({ name: 'PayloadTooLargeError' });
  });

  it('refuses a corrupt body and an unknown encoding with 400', async () => {
    await expect(
      readRequestBody(
        requestOf(Buffer.from('not gzip'), { 'content-encoding': 'gzip' }),
        limits,
      ),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      readRequestBody(requestOf(json, { 'content-encoding': 'zstd' }), limits),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/Unsupported Content-Encoding/),
    });
  });
});

describe('decompressBody', () => {
  it('inflates on the thread pool: the event loop turns while a large body inflates', async () => {
    // A synchronous inflate would finish before the immediate below could run.
    const body = gzipSync(Buffer.alloc(16 * MiB, '{"event":"e"}'));
    let turns = 0;
    const inflating = decompressBody(body, 'gzip', 20 * MiB).then(inflated => ({
      inflated,
      turns,
    }));
    setImmediate(() => {
      turns += 1;
    });
    const result = await inflating;
    expect(result.inflated.length).toBe(16 * MiB);
    expect(result.turns).toBe(1);
  });
});
