import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { placeholders, selectEntities } from '../../db/row-entity';
import { Service } from '../directory/service.entity';
import { BusinessCalendarRecord } from './business-calendar.entity';
import { SlaClockRecord } from './sla-clock.entity';
import { SlaPolicyRecord, SlaPolicyVersion } from './sla-policy.entity';

export function slaLoaders(em: EntityManager) {
  return {
    slaClocks: new DataLoader<string, SlaClockRecord[]>(async (ids) => {
      const rows = await selectEntities(
        em,
        SlaClockRecord,
        `select * from sla_clocks where incident_id in (${placeholders(ids)}) order by incident_id, target desc`,
        [...ids],
      );
      return ids.map((id) => rows.filter((r) => r.incidentId === id));
    }),
    slaPolicyVersion: new DataLoader<string, SlaPolicyVersion | null>(async (ids) => {
      const rows = await em.find(SlaPolicyVersion, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    slaPolicy: new DataLoader<string, SlaPolicyRecord | null>(async (ids) => {
      const rows = await em.find(SlaPolicyRecord, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    businessCalendar: new DataLoader<string, BusinessCalendarRecord | null>(async (ids) => {
      const rows = await em.find(BusinessCalendarRecord, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }),
    /** Services that have the policy as their own, by name. */
    servicesBySlaPolicy: new DataLoader<string, Service[]>(async (ids) => {
      const rows = await em.find(Service, { slaPolicyId: { $in: [...ids] } }, { orderBy: { name: 'asc' } });
      return ids.map((id) => rows.filter((r) => r.slaPolicyId === id));
    }),
    slaPolicyVersions: new DataLoader<string, SlaPolicyVersion[]>(async (ids) => {
      const rows = await em.find(SlaPolicyVersion, { policyId: { $in: [...ids] } }, { orderBy: { version: 'desc' } });
      return ids.map((id) => rows.filter((r) => r.policyId === id));
    }),
  };
}
