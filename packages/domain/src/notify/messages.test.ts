import { describe, expect, it } from 'vitest';
import { NOTIFICATION_EVENTS } from './events';
import { incidentMessage, type IncidentFacts } from './messages';

const inc: IncidentFacts = {
  number: 'INC-000123',
  title: 'Checkout returns 502',
  priority: 1,
  status: 'INVESTIGATING',
  major: false,
  serviceName: 'Payments',
  teamName: 'SRE',
};
const url = 'https://ikb.example.com/incidents/INC-000123';

describe('incidentMessage', () => {
  it('says what happened to which incident, with its facts in words', () => {
    expect(incidentMessage('INCIDENT_MAJOR', inc, url)).toEqual({
      title: 'INC-000123 is a P1 incident: Checkout returns 502',
      text: '',
      url,
      linkLabel: 'Open INC-000123',
      facts: [
        { label: 'Priority', value: 'P1 Critical' },
        { label: 'Status', value: 'Investigating' },
        { label: 'Service', value: 'Payments' },
        { label: 'Team', value: 'SRE' },
      ],
      tone: 'critical',
    });
    const update = incidentMessage(
      'STAKEHOLDER_UPDATE',
      { ...inc, major: true, serviceName: null, teamName: null },
      url,
      ' Card payments are back. ',
    );
    expect(update.title).toBe('P1 INC-000123 update: Checkout returns 502');
    expect(update.text).toBe('Card payments are back.');
    expect(update.facts).toEqual([
      { label: 'Priority', value: 'P1 Critical, major incident' },
      { label: 'Status', value: 'Investigating' },
    ]);
    expect(incidentMessage('INCIDENT_RESOLVED', { ...inc, priority: null, status: 'RESOLVED' }, url)).toMatchObject({
      title: 'INC-000123 resolved: Checkout returns 502',
      tone: 'good',
    });
  });

  it('has a headline for every event', () => {
    for (const e of NOTIFICATION_EVENTS) expect(incidentMessage(e, inc, url).title).not.toContain('undefined');
  });
});
