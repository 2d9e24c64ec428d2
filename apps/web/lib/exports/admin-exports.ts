// CSV exports of the admin directory lists: users, teams, services, categories (each one query, no pages).
import {
  AdminCategoriesDocument,
  AdminServicesDocument,
  AdminTeamsDocument,
  AdminUsersDocument,
  type AdminCategoriesQuery,
  type AdminServicesQuery,
  type AdminTeamsQuery,
  type AdminUsersQuery,
} from '@/gql/graphql';
import type { CsvSource } from '../csv-export';
import { isoInstant } from '../dates';
import { humanize } from '../format';
import type { Gql } from '../server';
import { teamFacts, type TeamFacts } from '../teams';
import { pageOf } from './map-result';

const whole = <T>(rows: T[]) => ({ rows, next: null, total: rows.length });

export function userExport(gql: Gql): CsvSource<AdminUsersQuery['users'][number]> {
  return {
    name: 'users',
    columns: [
      { header: 'Name', value: (u) => u.name },
      { header: 'Email', value: (u) => u.email },
      { header: 'Role', value: (u) => humanize(u.role) },
      { header: 'Team', value: (u) => u.team?.name },
      { header: 'Disabled', value: (u) => u.disabled },
      { header: 'Created (UTC)', value: (u) => isoInstant(u.createdAt) },
      { header: 'Last sign-in (UTC)', value: (u) => isoInstant(u.lastLoginAt) },
    ],
    page: async () => pageOf(await gql(AdminUsersDocument), (d) => whole(d.users)),
  };
}

type TeamRow = AdminTeamsQuery['teams'][number] & TeamFacts;

export function teamExport(gql: Gql): CsvSource<TeamRow> {
  return {
    name: 'teams',
    columns: [
      { header: 'Name', value: (t) => t.name },
      { header: 'Description', value: (t) => t.description },
      { header: 'Members', value: (t) => t.members },
      { header: 'Working hours', value: (t) => t.workingHours },
      { header: 'Created (UTC)', value: (t) => isoInstant(t.createdAt) },
    ],
    page: async () =>
      pageOf(await gql(AdminTeamsDocument), (d) => {
        const facts = teamFacts(d);
        return whole(d.teams.map((t) => ({ ...t, ...facts.get(t.id)! })));
      }),
  };
}

export function serviceExport(gql: Gql): CsvSource<AdminServicesQuery['services'][number]> {
  return {
    name: 'services',
    columns: [
      { header: 'Name', value: (s) => s.name },
      { header: 'Description', value: (s) => s.description },
      { header: 'Owner team', value: (s) => s.ownerTeam?.name },
      { header: 'SLA policy', value: (s) => s.slaPolicy?.name ?? 'Default policy' },
    ],
    page: async () => pageOf(await gql(AdminServicesDocument), (d) => whole(d.services)),
  };
}

type CategoryRow = { name: string; parent: string | null; retired: boolean; createdAt: string };

export function categoryExport(gql: Gql): CsvSource<CategoryRow> {
  const rows = (d: AdminCategoriesQuery): CategoryRow[] =>
    d.categories.flatMap((c) => [
      { name: c.name, parent: null, retired: c.retired, createdAt: c.createdAt },
      ...c.children.map((ch) => ({ name: ch.name, parent: c.name, retired: ch.retired, createdAt: ch.createdAt })),
    ]);
  return {
    name: 'categories',
    columns: [
      { header: 'Category', value: (c) => c.parent ?? c.name },
      { header: 'Subcategory', value: (c) => (c.parent ? c.name : '') },
      { header: 'Retired', value: (c) => c.retired },
      { header: 'Created (UTC)', value: (c) => isoInstant(c.createdAt) },
    ],
    page: async () => pageOf(await gql(AdminCategoriesDocument), (d) => whole(rows(d))),
  };
}
