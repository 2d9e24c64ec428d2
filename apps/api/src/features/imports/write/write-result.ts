import type { ImportMapping } from '../file/mapping';

/** What an import is asked to do and what it reports. */

export interface IncidentChange {
  ref: string;
  number: string | null;
  action: 'create' | 'update';
  fields: string[];
}

export interface WriteOptions {
  mapping: ImportMapping;
  actorName: string;
  now: Date;
  dryRun: boolean;
  runId: string;
  onProgress?: (fraction: number, label: string) => void;
}

export interface WriteResult {
  created: number;
  updated: number;
  unchanged: number;
  problemsCreated: number;
  teamsCreated: number;
  usersCreated: number;
  servicesCreated: number;
  categoriesCreated: number;
  events: number;
  changes: IncidentChange[];
  incidentIds: string[];
  /** What folding the written incidents into the analytics took (none in a dry run or when nothing changed). */
  analytics?: { incidents: number; cells: number; ms: number };
}
