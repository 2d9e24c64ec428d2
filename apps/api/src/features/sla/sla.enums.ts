import { SLA_TARGETS, WEEKDAYS } from '@ikb/domain';
import { registerEnumType } from 'type-graphql';

export const SlaTargetEnum = Object.fromEntries(SLA_TARGETS.map((v) => [v, v])) as { RESPONSE: 'RESPONSE'; RESOLUTION: 'RESOLUTION' };
export const WeekdayEnum = Object.fromEntries(WEEKDAYS.map((v) => [v, v])) as Record<(typeof WEEKDAYS)[number], (typeof WEEKDAYS)[number]>;
export const ClockStateEnum = { NOT_STARTED: 'NOT_STARTED', RUNNING: 'RUNNING', PAUSED: 'PAUSED', STOPPED: 'STOPPED' } as const;
export const ClockVerdictEnum = { MET: 'MET', BREACHED: 'BREACHED', PENDING: 'PENDING' } as const;
export const SegmentStateEnum = { RUNNING: 'RUNNING', PAUSED: 'PAUSED' } as const;
export const HolidayImportModeEnum = { MERGE: 'MERGE', REPLACE: 'REPLACE' } as const;

registerEnumType(SlaTargetEnum, { name: 'SlaTarget', description: 'RESPONSE is met by acknowledgement, RESOLUTION by resolution.' });
registerEnumType(WeekdayEnum, { name: 'Weekday' });
registerEnumType(ClockStateEnum, { name: 'SlaClockState' });
registerEnumType(ClockVerdictEnum, { name: 'SlaVerdict', description: 'PENDING until the clock stops or breaches.' });
registerEnumType(SegmentStateEnum, { name: 'SlaSegmentState' });
registerEnumType(HolidayImportModeEnum, { name: 'HolidayImportMode', description: 'MERGE adds to the holidays; REPLACE replaces them.' });
