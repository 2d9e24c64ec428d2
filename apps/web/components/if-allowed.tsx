// Server component: renders its children only for roles that may run the mutation (mirrors the
// API's permission table; the API still decides), otherwise the fallback.
import type { ReactNode } from 'react';
import type { Operation } from '@/lib/permissions';
import { may } from '@/lib/server';

export async function IfAllowed({ op, children, fallback = null }: { op: Operation; children: ReactNode; fallback?: ReactNode }) {
  return (await may(op)) ? <>{children}</> : <>{fallback}</>;
}
