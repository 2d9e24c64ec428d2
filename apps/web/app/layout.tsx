import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Incident knowledge base', template: '%s · Incident knowledge base' },
  description: 'Incidents, post-incident reviews, known errors, workarounds and incident models.',
};

// Every page reflects the API now: nothing is rendered at build time.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
