import { describe, expect, it } from 'vitest';
import {
  changedInWords,
  codeLabel,
  fieldLabel,
  listInWords,
  priorityInWords,
  valueInSentence,
  valueLabel,
  valuesInWords,
} from './plain-words';

describe('fieldLabel', () => {
  // A client names the keys of a JSON filter: Object.prototype's names must read as words too.
  it.each([
    ['filters.__proto__', 'Proto'],
    ['filters.constructor', 'Constructor'],
    ['filters.toString', 'To string'],
    ['hasOwnPropertyId', 'Has own property'],
    ['input.terms.1', 'Term 2'],
    ['participants[0]', 'Participant 1'],
    ['input.incidentIds.3', 'Incident 4'],
  ])('reads %s as %s', (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });
  it.each([
    ['name', 'Name'],
    ['input.dueDate', 'Due date'],
    ['facilitatorId', 'Facilitator'],
    ['input.facilitatorId', 'Facilitator'],
    ['workaroundIds', 'Workarounds'],
    ['input.steps.2.title', 'Title'],
    ['externalRef', 'External reference'],
    ['slaPolicyVersionId', 'SLA policy'],
    ['slaPolicyId', 'SLA policy'],
    ['rateCents', 'Rate'],
    ['resolutionWorkaroundId', 'Workaround applied'],
    ['toTeamId', 'Escalated to team'],
    ['detectedAt', 'Detection time'],
    ['acknowledgedAt', 'Acknowledged at'],
    ['pauseHoldReasons', 'Pause hold reasons'],
    ['first', 'Page size'],
    ['url', 'URL'],
    ['callbackUrl', 'Callback URL'],
    ['HTMLBody', 'HTML body'],
    ['id', 'ID'],
    ['input', 'Input'],
  ])('%s -> %s', (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });

  it('never keeps a camelCase hump, a dot or an underscore', () => {
    for (const p of ['aB', 'input.someLongFieldName', 'x_y_z', 'a.b.c.dEf', 'ownerTeamId', 'parentId']) {
      const l = fieldLabel(p);
      expect(l).not.toMatch(/[a-z][A-Z]|[._]/);
      expect(l.charAt(0)).toBe(l.charAt(0).toUpperCase());
    }
  });
});

describe('codeLabel', () => {
  it.each([
    ['SUMMARY', 'Summary'],
    ['CUSTOMER_IMPACT', 'Customer impact'],
    ['FIVE_WHYS', 'Five whys'],
    ['SLA_BREACH', 'SLA breach'],
    ['', ''],
  ])('%s -> %s', (code, label) => {
    expect(codeLabel(code)).toBe(label);
  });
});

describe('listInWords', () => {
  it('joins with commas and "and"', () => {
    expect(listInWords([])).toBe('');
    expect(listInWords(['Summary'])).toBe('Summary');
    expect(listInWords(['Summary', 'Customer impact'])).toBe('Summary and Customer impact');
    expect(listInWords(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('changedInWords', () => {
  it('names changed fields in words, lower case except abbreviations', () => {
    expect(changedInWords(['title', 'externalRef', 'detectedAt'])).toBe('title, external reference and detection time');
    expect(changedInWords(['facilitatorId', 'slaPolicyVersionId'])).toBe('facilitator and SLA policy');
  });
});

describe('values in words', () => {
  it.each([
    ['ON_HOLD', 'On hold'],
    ['KNOWN_ERROR', 'Known error'],
    ['PROBLEM_MANAGER', 'Problem manager'],
    ['WONT_DO', "Won't do"],
    ['IN_REVIEW', 'In review'],
    ['SLA_BREACH', 'SLA breach'],
  ])('%s reads %s', (code, words) => expect(valueLabel(code)).toBe(words));

  it('lists values, and a priority as the web app shows it', () => {
    expect(valuesInWords(['TRIAGED', 'INVESTIGATING', 'ON_HOLD'])).toBe('Triaged, Investigating or On hold');
    expect(valueInSentence('ON_HOLD')).toBe('on hold');
    expect(priorityInWords(2)).toBe('P2 High');
    expect(priorityInWords(9)).toBe('P9');
  });
});
