import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { ActorPicker } from '@/components/actor-picker';
import { NavList } from '@/components/nav-list';
import { Shortcuts } from '@/components/shortcuts';
import { ActorUsersDocument } from '@/gql/graphql';
import { MAIN_NAV } from '@/lib/nav';
import { currentActorEmail, gql } from '@/lib/server';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Incident knowledge base', template: '%s · Incident knowledge base' },
  description: 'Incidents, post-incident reviews, known errors, workarounds and incident models.',
};

// Every page reflects the API now: nothing is rendered at build time.
export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [users, actor] = await Promise.all([gql(ActorUsersDocument), currentActorEmail()]);
  const options = (users.data?.users ?? []).map((u) => ({ email: u.email, name: u.name, team: u.team?.name ?? null }));
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
          <header className="site-header">
            <div className="header-row">
              <Link className="brand" href="/">
                Incident knowledge base
              </Link>
              <NavList items={MAIN_NAV} label="Main" variant="main" />
              <div className="header-tools">
                <Link className="btn primary small" href="/incidents/new">
                  Log incident
                </Link>
                {users.error !== undefined ? (
                  <span className="muted small" title={users.error}>
                    Users unavailable
                  </span>
                ) : (
                  <ActorPicker users={options} current={actor} />
                )}
              </div>
            </div>
          </header>
          <main id="main" className="container" tabIndex={-1}>
            {children}
          </main>
          <footer className="site-footer container">
            <span>
              Press <kbd>/</kbd> to jump to a page&apos;s filter box.
            </span>
          </footer>
          <Shortcuts />
      </body>
    </html>
  );
}
