import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';

// Apollo Client is loaded only by the sections whose pages change data (not by the overview).
export default function Layout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
