'use client';
// recharts lives in its own chunk, loaded through next/dynamic by the dashboard only (no other page
// downloads it). The chunk is imported during server rendering too, so the page's HTML names it and
// the browser fetches it in parallel with the page's other scripts instead of after hydration; the
// charts themselves are drawn in the browser only (the server sends the placeholders).
import dynamic from 'next/dynamic';
import type { ChartsData } from '@/lib/dashboard-data';
import { ChartsPlaceholder } from './charts-placeholder';

const Impl = dynamic(() => import('./charts-impl'), { loading: ChartsPlaceholder });

export function DashboardCharts({ data }: { data: ChartsData }) {
  return <Impl data={data} />;
}
