import type { Metadata } from 'next';
import Link from 'next/link';
import { ADMIN_TABS } from '@/lib/nav';
import { visibleNav } from '@/lib/server';

export const metadata: Metadata = { title: 'Admin' };

const BLURB: Record<string, string> = {
  '/admin/services': 'Business and IT services, their owner teams and SLA policy overrides.',
  '/admin/categories': 'The two-level incident type taxonomy.',
  '/admin/teams': 'Support and resolver groups incidents are assigned to.',
  '/admin/users': 'People: reporters, assignees, reviewers; roles, disabling, passwords.',
  '/admin/tokens': 'Everyone’s API tokens: who uses which, revoke, create one for a user.',
  '/admin/alert-sources': 'Senders of alerts: tokens, classification rules, what they sent.',
  '/admin/imports': 'Every run of pnpm cli import: counts, refusals and the rejected rows.',
  '/admin/priority-matrix': 'Impact × urgency → priority.',
  '/admin/calendars': 'Business hours, holidays and .ics holiday import.',
  '/admin/sla-policies': 'Response and resolution targets per priority, versions, per-service overrides.',
  '/admin/search-synonyms': 'Words the catalog search treats as the same: db and database, k8s and kubernetes, oom and out of memory.',
};

export default async function AdminPage() {
  // Pages only admins can use (API tokens, alert sources, imports) are left out for the other roles.
  const tabs = await visibleNav(ADMIN_TABS);
  return (
    <>
      <h1>Administration</h1>
      <ul className="grid-cards" style={{ listStyle: 'none', padding: 0 }}>
        {tabs.map((t) => (
          <li key={t.href} className="stat">
            <Link href={t.href}>
              <strong>{t.label}</strong>
            </Link>
            <p className="small muted" style={{ margin: '0.25rem 0 0' }}>
              {BLURB[t.href]}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
