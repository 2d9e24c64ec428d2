import 'reflect-metadata';
import { getMetadataStorage } from 'type-graphql';
import { expect, test } from 'vitest';
import { LOCKS_INCIDENT_FIRST } from './incident-locks';
import { IncidentResolver } from './incident.resolver';

test('names every mutation of IncidentResolver on an existing incident (all but logIncident)', () => {
  const names = getMetadataStorage()
    .mutations.filter((m) => m.target === IncidentResolver)
    .map((m) => m.schemaName)
    .filter((name) => name !== 'logIncident');
  expect(names.length).toBeGreaterThan(5);
  expect([...LOCKS_INCIDENT_FIRST].sort()).toEqual(names.sort());
});
