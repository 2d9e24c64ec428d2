import Link from 'next/link';
import type { ReactNode } from 'react';
import { NavList } from '@/components/nav-list';
import { SessionProvider } from '@/components/session';
import { Shortcuts } from '@/components/shortcuts';
import { SiteMenu } from '@/components/site-menu';
import { TableLabels } from '@/components/table-labels';
import { ErrorBox } from '@/components/ui';
import { UserMenu } from '@/components/user-menu';
import { can, type Role } from '@/lib/permissions';
import { mainNav } from '@/lib/nav';
import { requireMe } from '@/lib/server';

// Every page behind sign-in: the layout asks the API who the browser is (`me`) and sends it to
// /sign-in when nobody is signed in.
export default async function AppLayout({ children }: { children: ReactNode }) {
  const me = await requireMe();
  const user = me.data?.user;
  const role = (me.data?.role ?? null) as Role | null;
  const session = user ? { userId: user.id, name: user.name, email: user.email, role, csrfToken: me.data?.csrfToken ?? null } : null;
  const page = (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="header-row">
          <Link className="brand" href="/">
            Incident knowledge base
          </Link>
          <SiteMenu>
            <NavList items={mainNav().filter((item) => !item.op || can(role, item.op))} label="Main" variant="main" />
            <div className="header-tools">
              {can(role, 'logIncident') ? (
                <Link className="btn primary small" href="/incidents/new">
                  Log incident
                </Link>
              ) : null}
              {session ? <UserMenu name={session.name} email={session.email} role={role} /> : null}
            </div>
          </SiteMenu>
        </div>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        {me.error !== undefined ? <ErrorBox title="Who you are signed in as could not be checked" message={me.error} /> : null}
        {session ? children : null}
      </main>
      <footer className="site-footer container">
        <span>
          Press <kbd>/</kbd> to jump to a page&apos;s search or filter box.
        </span>
      </footer>
      <Shortcuts />
      <TableLabels />
    </>
  );
  return session ? <SessionProvider session={session}>{page}</SessionProvider> : page;
}
