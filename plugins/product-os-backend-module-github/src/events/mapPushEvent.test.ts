import { mapPushEvent } from './mapPushEvent';
import { PayloadObject } from './payload';

describe('mapPushEvent', () => {
  it("maps a push's 2,048 commits in slices, giving the event loop turns between them", async () => {
    const commits = Array.from({ length: 2048 }, (_, i) => {
      const sha = i.toString(16).padStart(40, '0');
      return {
        id: sha,
        message: `Change ${i}\n\nWhy it changed`,
        timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        url: `https://github.com/acme/checkout/commit/${sha}`,
        author: { name: 'Dev', username: 'dev' },
        added: [`src/feature${i}/new.ts`],
        modified: [`src/feature${i}/index.ts`, `src/feature${i}/new.ts`],
        removed: [],
      };
    });
    let turns = 0;
    let mapping = true;
    const turn = () => {
      if (!mapping) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    const changes = await mapPushEvent(PayloadObject.of({ commits }));
    mapping = false;

    // Eight slices of 256 commits, with a turn between each two.
    expect(turns).toBeGreaterThanOrEqual(7);
    expect(changes).toHaveLength(2048);
    expect(changes[2047]).toEqual({
      kind: 'commit',
      externalId: commits[2047].id,
      title: 'Change 2047',
      author: 'dev',
      sha: commits[2047].id,
      url: commits[2047].url,
      occurredAt: Date.parse(commits[2047].timestamp),
      files: ['src/feature2047/new.ts', 'src/feature2047/index.ts'],
    });
  });
});
