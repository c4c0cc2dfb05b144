import { formatDateTime, formatRelative, formatUtc } from '../../lib/time';

/**
 * A moment as the plugin shows every one: in the reader's time zone with the zone named, the
 * UTC time on hover, and, with `now`, how long ago it was.
 */
export function LocalTime(props: { time: string | number; now?: number }) {
  const { time, now } = props;
  const iso = new Date(time).toISOString();
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {formatDateTime(iso)}
      {now !== undefined && ` (${formatRelative(iso, now)})`}
    </time>
  );
}
