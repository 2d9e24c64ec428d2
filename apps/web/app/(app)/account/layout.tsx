import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';

// The account page changes data (password, tokens): Apollo Client for its forms.
export default function Layout({ children }: { children: ReactNode }) {
  return <Providers>{children}</Providers>;
}
