import { describe, expect, it } from 'vitest';
import { historyRows, type AuditEntry } from './servicenow-audit';
import { durationText, looksLikeJson, tableApiToTable } from './table-api';

describe('ServiceNow Table API values', () => {
  it('tells JSON from CSV by its first character past spaces and a BOM', () => {
    expect(looksLikeJson(Buffer.from('  \n{"result": []}'))).toBe(true);
    expect(looksLikeJson(Buffer.from('\ufeff[{}]'))).toBe(true);
    expect(looksLikeJson(Buffer.from('number,state\nINC1,7'))).toBe(false);
    expect(looksLikeJson(Buffer.from(''))).toBe(false);
  });

  it('reads durations written as dates after the epoch', () => {
    expect(durationText('1970-01-21 06:05:49')).toBe('20 d 06:05:49');
    expect(durationText('1970-01-01 08:00:00')).toBe('08:00:00');
    expect(durationText('1970-02-15 00:00:00')).toBe('45 d 00:00:00');
    expect(durationText('')).toBe('');
    expect(durationText('20 Days 6 Hours')).toBe('20 Days 6 Hours');
  });

  it('takes codes, names and UTC values from each shape', () => {
    const t = tableApiToTable(
      JSON.stringify({
        result: [
          {
            number: 'INC1',
            state: { display_value: 'Closed', value: '7' },
            priority: { display_value: '1 - Critical', value: '1' },
            incident_state: { display_value: 'Awaiting Vendor', value: '42' },
            assignment_group: { display_value: 'Network', value: '287ebd7da9fe198100f92cc8d1d2154e', link: 'https://x/api' },
            assigned_to: {
              link: 'https://x/api/now/table/sys_user/46d44a23a9fe19810012d100cca80666',
              value: '46d44a23a9fe19810012d100cca80666',
            },
            caller_id: { display_value: 'Abel Tuter', link: 'https://x/api' },
            opened_at: { display_value: '03/01/2024 12:00:00 AM', value: '2024-03-01 08:00:00' },
            business_duration: { display_value: '20 Days 6 Hours', value: '1970-01-21 06:05:49' },
            made_sla: true,
            reopen_count: 0,
            sys_tags: '',
          },
        ],
      }),
    );
    expect(t.records[0]).toEqual({
      number: 'INC1',
      state: '7',
      priority: '1',
      incident_state: 'Awaiting Vendor',
      assignment_group: 'Network',
      assigned_to: '46d44a23a9fe19810012d100cca80666',
      caller_id: 'Abel Tuter',
      opened_at: '2024-03-01 08:00:00',
      business_duration: '20 d 06:05:49',
      made_sla: 'true',
      reopen_count: '0',
      sys_tags: '',
    });
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/^assigned_to hold sys_ids only/);
  });
});

describe('sys_audit as an event log', () => {
  const current = {
    sys_id: 'a'.repeat(32),
    number: 'INC1',
    state: '7',
    incident_state: '7',
    assignment_group: 'Network',
    sys_mod_count: '3',
    sys_updated_on: '2024-01-03 00:00:00',
  };
  const audit = (c: number, fieldname: string, oldvalue: string, newvalue: string, at: string): AuditEntry => ({
    documentkey: current.sys_id,
    fieldname,
    oldvalue,
    newvalue,
    user: `user${c}`,
    sys_created_on: at,
    record_checkpoint: String(c),
  });

  it('rebuilds the state after each update backwards from the current record', () => {
    const entries = [
      audit(1, 'state', '1', '2', '2024-01-01 00:00:00'),
      audit(2, 'assignment_group', 'g-old', 'g-new', '2024-01-02 00:00:00'),
      audit(2, 'state', '2', '6', '2024-01-02 00:00:00'),
      audit(3, 'state', '6', '7', '2024-01-03 00:00:00'),
      audit(2, 'assigned_to', 'unknown-person', '', '2024-01-02 00:00:00'),
    ];
    const r = historyRows([current], entries, new Map([['g-old', 'Hardware']]));
    expect(r.rows.map((x) => [x.sys_mod_count, x.state, x.incident_state, x.assignment_group, x.sys_updated_by ?? ''])).toEqual([
      ['1', '2', '2', 'Hardware', 'user1'],
      ['2', '6', '6', 'Network', 'user2'],
      ['3', '7', '7', 'Network', ''],
    ]);
    expect(r).toMatchObject({ updates: 2, unnamed: 1 });
  });

  it('leaves an incident without audit rows as it is', () => {
    expect(historyRows([current], [], new Map()).rows).toEqual([current]);
  });
});
