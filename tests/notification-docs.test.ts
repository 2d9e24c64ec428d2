import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EVENT_DEFINITIONS, NOTIFICATION_EVENTS } from '@ikb/domain';
import { expect, it } from 'vitest';

/** docs/notifications.md's event table says what the code sends: every event, "yes" exactly for those it sends now. */
it('documents every notification event, and which are sent now', () => {
  const doc = readFileSync(resolve(__dirname, '../docs/notifications.md'), 'utf8');
  for (const e of NOTIFICATION_EVENTS) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${e}\` |`));
    expect(row, e).toBeDefined();
    expect(row!.split('|')[2]!.trim(), e).toBe(EVENT_DEFINITIONS[e].label);
    expect(row!.trim().endsWith('| yes |'), e).toBe(EVENT_DEFINITIONS[e].available);
  }
});
