import { expect, test } from 'vitest';
import { formatLsn, lagMs, parseLsn } from './lsn';

test('WAL positions compare as numbers and print as pg_lsn', () => {
  expect(parseLsn('0/0')).toBe(0n);
  expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n);
  expect(parseLsn('1/0')! > parseLsn('0/FFFFFFFF')!).toBe(true);
  expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
  for (const junk of [null, undefined, '', '16', '16/', 'G/1', '1/2/3', '123456789/0', 42]) expect(parseLsn(junk)).toBeUndefined();
});

test("a replica's lag is the time since the primary first passed what it has replayed", () => {
  const history = [
    { at: 1000, lsn: 10n },
    { at: 2000, lsn: 20n },
    { at: 3000, lsn: 30n },
  ];
  expect(lagMs(30n, history, 5000)).toBe(0);
  expect(lagMs(31n, history, 5000)).toBe(0);
  expect(lagMs(20n, history, 5000)).toBe(2000);
  expect(lagMs(15n, history, 5000)).toBe(3000);
  // Behind everything remembered: at least as old as the oldest sample.
  expect(lagMs(5n, history, 5000)).toBe(4000);
  expect(lagMs(5n, [], 5000)).toBe(0);
});
