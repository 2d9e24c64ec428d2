import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: 'Incident knowledge base',
  description: 'Incidents, post-incident reviews, known errors, workarounds and incident models.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a className="brand" href="/">
            Incident knowledge base
          </a>
        </header>
        <main id="main" className="container">
          {children}
        </main>
      </body>
    </html>
  );
}
