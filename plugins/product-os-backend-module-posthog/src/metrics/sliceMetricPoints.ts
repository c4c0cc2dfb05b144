import type { MetricPointInput } from '@internal/plugin-product-os-node';

/**
 * Splits metric points into writes of at most `maxUsers` user keys each, so that no single
 * write inserts tens of thousands of rows at once. A point with more users than that is cut
 * into pieces with disjoint users: the first carries the event count, the others count 0, and
 * the store adds them up (counts are summed, users counted as they are first inserted).
 */
export function sliceMetricPoints(
  points: MetricPointInput[],
  maxUsers: number,
): MetricPointInput[][] {
  const size = Math.max(1, Math.floor(maxUsers));
  const parts: MetricPointInput[][] = [];
  let part: MetricPointInput[] = [];
  let users = 0;
  const flush = () => {
    if (part.length > 0) parts.push(part);
    part = [];
    users = 0;
  };
  for (const point of points) {
    const keys = point.userKeys ?? [];
    let offset = 0;
    do {
      const room = size - users;
      const piece = keys.slice(offset, offset + room);
      part.push({
        ...point,
        count: offset === 0 ? point.count : 0,
        userKeys: piece,
      });
      users += piece.length;
      offset += piece.length;
      if (users >= size) flush();
    } while (offset < keys.length);
  }
  flush();
  return parts;
}
