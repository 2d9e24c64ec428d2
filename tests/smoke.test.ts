import { afterAll, beforeAll, expect, test } from 'vitest';
import { logIncident } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

test('logs an incident', async () => {
  const i = await logIncident(t, { impact: 1, urgency: 2 });
  expect(i.number).toMatch(/^INC-\d{6}$/);
  expect(i.priority).toBe(2);
  expect(i.timeline.map((e: { kind: string }) => e.kind)).toEqual(['LOGGED']);
});
