import { it } from 'vitest';
import { compileCalendar } from './sla/calendar';
import { addBusinessMs, businessMsBetween } from './sla/business-time';
it('dbg', () => {
  const cal = compileCalendar({ timeZone: 'UTC', weeklyHours: { SAT: [{ start: '00:00', end: '00:01' }] } });
  const from = Date.parse('2024-03-07T02:00:00.001Z');
  for (const m of [1, 2, 10, 100, 2700]) {
    const due = addBusinessMs(cal, from, m * 60000);
    console.log(m, new Date(due).toISOString(), businessMsBetween(cal, from, due) / 60000);
  }
});
