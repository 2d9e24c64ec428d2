'use client';
// A time in the browser's own time zone (with the zone's name). The server renders it in UTC, as
// every other date in the app, and the browser switches to local time once it has hydrated, so the
// two renders never disagree; the UTC time stays in the title.
import { useSyncExternalStore } from 'react';
import { formatDateTime } from '@/lib/dates';

// The browser's zone, in the app's one date format (lib/dates.ts) with the zone's name.
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const subscribe = () => () => {};

export function LocalTime({ iso }: { iso: string }) {
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const d = new Date(iso);
  const utc = formatDateTime(iso);
  const valid = !Number.isNaN(d.getTime());
  return (
    <time dateTime={iso} title={utc} data-local={hydrated && valid ? 'true' : undefined}>
      {hydrated && valid ? formatDateTime(d, browserZone()) : utc}
    </time>
  );
}
