// What the dashboard's charts draw: plain, serialisable rows built on the server from the analytics
// query (labels already in the chosen time zone, each point with the incidents link it opens).

export interface MetricNote {
  id: string;
  name: string;
  definition: string;
  details: string;
}

export interface SeriesDef {
  key: string;
  name: string;
  color: string;
}

export interface VolumeRow {
  label: string;
  /** Count per series key, and the incidents link per series key under `href:<key>`. */
  [key: string]: string | number | boolean | null;
}

/** What every export of the page needs: the view's query string (the API's CSV) and the PNG file names' range. */
export interface ExportContext {
  /** The dashboard's query string for the view: the CSV files are the API's under the same parameters. */
  query: string;
  /** Part of the download file names: "2025-12-07_2026-12-06". */
  slug: string;
}

/** A time-series row's coverage: whether the bucket is partial (in progress or cut by the range), and up to when. */
export interface Coverage {
  partial: boolean;
  /** Human note for a partial bucket, e.g. "partial: up to 6 Dec 2026, 07:45 (in progress)"; '' when whole. */
  partialNote: string;
}

export interface ChartsData {
  bucketName: string;
  stackName: string;
  context: ExportContext;
  /** ISO 4217 code of the cost amounts. */
  currency: string;
  volume: {
    metric: MetricNote | null;
    series: SeriesDef[];
    rows: (VolumeRow & Coverage)[];
    links: Record<string, Record<string, string>>;
    total: number;
  };
  ttr: {
    metric: MetricNote | null;
    rows: ({ label: string; median: number | null; p90: number | null; count: number; href: string } & Coverage)[];
    overall: { count: number; median: number | null; p90: number | null; mean: number | null };
  };
  slaByPriority: {
    responseMetric: MetricNote | null;
    resolutionMetric: MetricNote | null;
    rows: {
      label: string;
      priority: number;
      response: number | null;
      resolution: number | null;
      responseTotal: number;
      resolutionTotal: number;
      href: string;
    }[];
  };
  slaOverTime: {
    rows: ({
      label: string;
      response: number | null;
      resolution: number | null;
      responseTotal: number;
      resolutionTotal: number;
      href: string;
    } & Coverage)[];
  };
  problems: {
    metric: MetricNote | null;
    rows: {
      label: string;
      title: string;
      number: string;
      incidents: number;
      recurring: number;
      sinceFix: number | null;
      href: string;
      problemHref: string;
    }[];
  };
  cost: { metric: MetricNote | null; rows: { label: string; cost: number; hours: number; href: string }[]; total: number };
  more: MoreChartsData;
  breakdowns: BreakdownsData;
}

/** One service or team of the SLA compliance charts: null ratio when it has no verdict (no data, not 0 %). */
export interface SlaKeyRow {
  label: string;
  response: number | null;
  resolution: number | null;
  responseTotal: number;
  resolutionTotal: number;
  href: string;
}

/** One service or team of the time-to-resolve charts: null figures when none was resolved. */
export interface TtrKeyRow {
  label: string;
  count: number;
  median: number | null;
  p90: number | null;
  href: string;
}

/** SLA compliance and time to resolve by service and by team (components/dashboard/breakdown-charts.tsx). */
export interface BreakdownsData {
  slaMetric: MetricNote | null;
  ttrMetric: MetricNote | null;
  slaByService: SlaKeyRow[];
  slaByTeam: SlaKeyRow[];
  ttrByService: TtrKeyRow[];
  ttrByTeam: TtrKeyRow[];
}

/** Backlog by age, MTTA / MTTD by priority and knowledge reuse by category (components/dashboard/more-charts.tsx). */
export interface MoreChartsData {
  backlog: {
    metric: MetricNote | null;
    open: number;
    /** One row per age band; p1..p5 are the open incidents of that priority. */
    rows: { label: string; total: number; p1: number; p2: number; p3: number; p4: number; p5: number; href: string }[];
  };
  acknowledge: {
    mttaMetric: MetricNote | null;
    mttdMetric: MetricNote | null;
    rows: { label: string; mtta: number | null; mttd: number | null; mttaCount: number; mttdCount: number; href: string }[];
  };
  reuse: {
    metric: MetricNote | null;
    rows: {
      label: string;
      rate: number | null;
      reused: number;
      resolved: number;
      withHours: number | null;
      withoutHours: number | null;
      href: string;
    }[];
  };
}

export const PRIORITY_COLORS: Record<number, string> = { 1: '#b3261e', 2: '#d9731a', 3: '#c9a400', 4: '#3f7fbf', 5: '#7d8a99' };
export const PALETTE = ['#1f5fbf', '#2e8b57', '#d9731a', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d', '#b7950b', '#34495e', '#d35400'];
