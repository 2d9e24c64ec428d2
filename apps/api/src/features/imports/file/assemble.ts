import { createHash } from 'node:crypto';
import { textProblem, type HoldReason, type IncidentStatus, type ResolutionKind } from '@ikb/domain';
import type { IncidentSource } from '../../incidents/incident.enums';
import { clipText } from '../../shared/clip-text';
import type { ImportMapping } from './mapping';
import type { CompiledColumns, RecordValues, RowProblem, SourceRecord } from './records';
import { resolutionKindFrom } from './value-converters';

/** One state of an incident as the source recorded it, in the source's terms (names, not ids). */
export interface Snap {
  row: number;
  /** When this state began: the row's update time (the opening time for the first). */
  at: Date;
  actor: string | null;
  seq: number | null;
  title: string;
  description: string;
  status: IncidentStatus;
  holdReason: HoldReason | null;
  impact: number;
  urgency: number;
  /** null: derive from impact x urgency. */
  priority: number | null;
  service: string | null;
  category: string | null;
  subcategory: string | null;
  team: string | null;
  assignee: string | null;
  reporter: string | null;
  major: boolean;
  detectedAt: Date | null;
  openedAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  resolutionKind: ResolutionKind | null;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  userConfirmed: boolean | null;
  reopenCount: number;
  reassignmentCount: number;
  problem: string | null;
  problemId: string | null;
  problemTitle: string | null;
  causedBy: string | null;
  changeRef: string | null;
  verdict: 'MET' | 'BREACHED' | null;
  attributes: Record<string, string>;
  source: IncidentSource | null;
  openedBy: string | null;
  resolvedBy: string | null;
}

/** Snap fields that a file may or may not provide; the others always come from the file. */
export type OptionalField =
  | 'description'
  | 'status'
  | 'impact'
  | 'urgency'
  | 'priority'
  | 'service'
  | 'category'
  | 'team'
  | 'assignee'
  | 'reporter'
  | 'major'
  | 'detectedAt'
  | 'acknowledgedAt'
  | 'resolution'
  | 'userConfirmed'
  | 'reopenCount'
  | 'reassignmentCount'
  | 'problem'
  | 'causedBy'
  | 'changeRef'
  | 'verdict'
  | 'attributes'
  | 'source';

export interface AssembledIncident {
  key: string;
  externalRef: string | null;
  id: string | null;
  rows: number[];
  snaps: Snap[];
  final: Snap;
  /** Of the final state's provided fields: equal hashes mean the source says the same thing. */
  hash: string;
  lastSeq: number | null;
}

export interface Assembly {
  incidents: AssembledIncident[];
  /** Incident-level problems (e.g. no opening time on any row), by row. */
  problems: RowProblem[];
  /** Some reference has several rows: an event log. */
  eventLog: boolean;
  provided: Set<OptionalField>;
}

const RESOLVED_LIKE = new Set<IncidentStatus>(['RESOLVED', 'CLOSED', 'REVIEWED']);
const CLOSED_LIKE = new Set<IncidentStatus>(['CLOSED', 'REVIEWED']);
export const isResolvedLike = (s: IncidentStatus) => RESOLVED_LIKE.has(s);
/** Titles, descriptions and resolution notes are clipped to the API's limits (other text fields are checked in value-converters.ts). */
const TITLE_MAX = 200;
const DESCRIPTION_MAX = 20_000;

/** A template compiled once: text, placeholders and optional `[...]` groups. */
type TemplatePart = { text: string } | { name: string } | { group: TemplatePart[] };

const templates = new Map<string, TemplatePart[]>();

function compileTemplate(template: string): TemplatePart[] {
  let parts = templates.get(template);
  if (parts) return parts;
  const scan = (s: string): TemplatePart[] =>
    s
      .split(/(\{[\w.]+\})/)
      .filter(Boolean)
      .map((p) => (/^\{[\w.]+\}$/.test(p) ? { name: p.slice(1, -1) } : { text: p }));
  parts = template
    .split(/(\[[^\]]*\])/)
    .filter(Boolean)
    .flatMap((p) => (p.startsWith('[') && p.endsWith(']') ? [{ group: scan(p.slice(1, -1)) }] : scan(p)));
  templates.set(template, parts);
  return parts;
}

/** Renders a template: a `[...]` group drops out when a placeholder in it is empty. */
function render(template: string, get: (name: string) => string | null): string {
  const out = (parts: TemplatePart[], group: boolean): string | null => {
    let s = '';
    for (const p of parts) {
      if ('text' in p) s += p.text;
      else if ('name' in p) {
        const v = get(p.name);
        if (!v && group) return null;
        s += v ?? '';
      } else s += out(p.group, true) ?? '';
    }
    return s;
  };
  return (out(compileTemplate(template), false) ?? '')
    .replace(/\s+/g, ' ')
    .replace(/^[\s·/,:;-]+|[\s·/,:;-]+$/g, '')
    .trim();
}

const clipTitle = (s: string) => clipText(s.trim(), TITLE_MAX);

export function providedFields(cols: CompiledColumns, mapping: ImportMapping, eventLog: boolean): Set<OptionalField> {
  const has = (f: string) => cols.fields.has(f as never);
  const p = new Set<OptionalField>();
  const add = (cond: boolean, f: OptionalField) => cond && p.add(f);
  add(has('description') || !!mapping.descriptionTemplate, 'description');
  add(has('status'), 'status');
  add(has('impact') || mapping.defaults?.impact !== undefined, 'impact');
  add(has('urgency') || mapping.defaults?.urgency !== undefined, 'urgency');
  add(has('priority') || has('impact') || has('urgency'), 'priority');
  add(has('service'), 'service');
  add(has('category') || has('subcategory'), 'category');
  add(has('team'), 'team');
  add(has('assignee'), 'assignee');
  add(has('reporter'), 'reporter');
  add(has('major'), 'major');
  add(has('detectedAt'), 'detectedAt');
  add(has('acknowledgedAt') || (eventLog && has('status')), 'acknowledgedAt');
  add(has('status') || has('resolvedAt') || has('resolutionCode') || has('resolutionKind'), 'resolution');
  add(has('userConfirmed'), 'userConfirmed');
  add(has('reopenCount') || (eventLog && has('status')), 'reopenCount');
  add(has('reassignmentCount') || (eventLog && (has('team') || has('assignee'))), 'reassignmentCount');
  add(has('problem') || has('problemId'), 'problem');
  add(has('causedBy'), 'causedBy');
  add(has('changeRef'), 'changeRef');
  add(has('slaMet'), 'verdict');
  add(cols.attributes.size > 0 || has('attributesJson'), 'attributes');
  add(has('source'), 'source');
  return p;
}

/** Rows of one reference in the order they happened: sequence (sys_mod_count), then update time, then file order. */
function byHistory(a: SourceRecord, b: SourceRecord): number {
  const sa = a.v.sequence;
  const sb = b.v.sequence;
  if (sa != null && sb != null && sa !== sb) return sa - sb;
  const ua = a.v.updatedAt;
  const ub = b.v.updatedAt;
  if (ua && ub && ua.getTime() !== ub.getTime()) return ua.getTime() - ub.getTime();
  return a.index - b.index;
}

/**
 * Groups rows by reference and rebuilds each incident's states: the final one and, for an event
 * log, one per update row, so the timeline can be replayed. Skipped rows (invalid) are left out.
 */
export function assemble(records: SourceRecord[], mapping: ImportMapping, cols: CompiledColumns, skip: Set<number>): Assembly {
  const groups = new Map<string, SourceRecord[]>();
  for (const r of records) {
    if (skip.has(r.row)) continue;
    let g = groups.get(r.key);
    if (!g) groups.set(r.key, (g = []));
    g.push(r);
  }
  let eventLog = false;
  for (const g of groups.values()) if (g.length > 1) eventLog = true;
  const provided = providedFields(cols, mapping, eventLog);
  const problems: RowProblem[] = [];
  const incidents: AssembledIncident[] = [];
  const defaults = mapping.defaults ?? {};

  for (const [key, group] of groups) {
    if (group.length > 1) group.sort(byHistory);
    const last = group[group.length - 1].v;
    const openedAt = last.openedAt ?? group.find((r) => r.v.openedAt)?.v.openedAt ?? null;
    if (!openedAt) {
      const col = cols.fields.get('openedAt')?.columns[0] ?? 'openedAt';
      problems.push({ row: group[0].row, reasons: [`${col}: is empty on every row of ${key}; an incident needs the time it was opened`] });
      continue;
    }
    const finalAttrs = attrsOf(last);
    const lookup =
      (v: RecordValues, attrs: Record<string, string>) =>
      (name: string): string | null => {
        if (name.startsWith('attr.')) return attrs[name.slice(5)] ?? null;
        if (name === 'externalRef' || name === 'ref') return key;
        const x = (v as Record<string, unknown>)[name];
        return x === null || x === undefined ? null : x instanceof Date ? x.toISOString() : String(x);
      };
    const templateTitle = mapping.titleTemplate ? render(mapping.titleTemplate, lookup(last, finalAttrs)) : '';
    // Made from attribute values: they may hold what no title may (bidi controls, invisible characters).
    const titleWhy = templateTitle ? textProblem(templateTitle, { singleLine: true }) : null;
    if (titleWhy) {
      problems.push({ row: group[group.length - 1].row, reasons: [`title made by the mapping's titleTemplate ${titleWhy}`] });
      continue;
    }
    const fallbackTitle = clipTitle(templateTitle || `${mapping.source} incident ${key}`);
    const templateDescription = mapping.descriptionTemplate
      ? clipText(render(mapping.descriptionTemplate, lookup(last, finalAttrs)), DESCRIPTION_MAX)
      : '';

    const snaps: Snap[] = [];
    let prev: Snap | null = null;
    let reopens = 0;
    let reassignments = 0;
    for (const rec of group) {
      const v = rec.v;
      const when = v.updatedAt ?? (prev ? prev.at : openedAt);
      const at = when >= openedAt ? when : openedAt;
      const st = v.status ?? (prev ? { status: prev.status, holdReason: prev.holdReason } : null) ?? statusDefault(defaults.status);
      let status = st.status;
      let holdReason = status === 'ON_HOLD' ? (v.holdReason ?? st.holdReason ?? 'AWAITING_USER') : null;
      if (!v.status && !prev && !cols.fields.has('status')) {
        // No status column: resolved when the row says so.
        status = v.closedAt ? 'CLOSED' : v.resolvedAt ? 'RESOLVED' : status;
        holdReason = null;
      }
      const resolvedLike = RESOLVED_LIKE.has(status);
      const wasResolved = prev ? RESOLVED_LIKE.has(prev.status) : false;
      if (prev && wasResolved && !resolvedLike) reopens++;
      const team = v.team ?? null;
      const assignee = v.assignee ?? null;
      if (prev && ((prev.team !== null && team !== prev.team) || (prev.assignee !== null && assignee !== prev.assignee))) reassignments++;
      let resolvedAt: Date | null = null;
      let closedAt: Date | null = null;
      if (resolvedLike) {
        resolvedAt = v.resolvedAt ?? (prev && wasResolved ? prev.resolvedAt : null) ?? v.closedAt ?? at;
        if (resolvedAt < openedAt) resolvedAt = openedAt;
        if (CLOSED_LIKE.has(status)) {
          closedAt = v.closedAt ?? (prev && CLOSED_LIKE.has(prev.status) ? prev.closedAt : null) ?? (at > resolvedAt ? at : resolvedAt);
          if (closedAt < resolvedAt) closedAt = resolvedAt;
        }
      }
      let acknowledgedAt = v.acknowledgedAt ?? prev?.acknowledgedAt ?? null;
      if (!acknowledgedAt && provided.has('acknowledgedAt') && !cols.fields.has('acknowledgedAt') && status !== 'NEW' && !resolvedLike)
        acknowledgedAt = at;
      // made_sla stays true until a breach: it is a verdict only once resolved, a breach at any time.
      const verdict =
        v.slaMet === 'MET' || v.slaMet === 'BREACHED'
          ? v.slaMet
          : v.slaMet === true
            ? resolvedLike
              ? 'MET'
              : null
            : v.slaMet === false
              ? 'BREACHED'
              : null;
      const snap: Snap = {
        row: rec.row,
        at,
        actor: v.actor ?? null,
        seq: v.sequence ?? null,
        title: v.title ? clipTitle(v.title) : fallbackTitle,
        description: v.description !== undefined && v.description !== null ? clipText(v.description, DESCRIPTION_MAX) : templateDescription,
        status,
        holdReason,
        impact: v.impact ?? (defaults.impact as number | undefined) ?? 3,
        urgency: v.urgency ?? (defaults.urgency as number | undefined) ?? 3,
        priority: v.priority ?? null,
        service: v.service ?? null,
        category: v.category ?? null,
        subcategory: v.subcategory ?? null,
        team,
        assignee,
        reporter: v.reporter ?? null,
        major: v.major ?? false,
        detectedAt: v.detectedAt && v.detectedAt <= openedAt ? v.detectedAt : null,
        openedAt,
        acknowledgedAt: acknowledgedAt && acknowledgedAt < openedAt ? openedAt : acknowledgedAt,
        resolvedAt,
        closedAt,
        resolutionKind: resolvedLike
          ? (v.resolutionKind ??
            resolutionKindFrom(v.resolutionCode) ??
            (defaults.resolutionKind as ResolutionKind | undefined) ??
            'PERMANENT_FIX')
          : null,
        resolutionCode: resolvedLike ? (v.resolutionCode ?? null) : null,
        resolutionNotes: resolvedLike && v.resolutionNotes ? clipText(v.resolutionNotes, DESCRIPTION_MAX) : null,
        userConfirmed: CLOSED_LIKE.has(status) ? (v.userConfirmed ?? null) : null,
        reopenCount: v.reopenCount ?? reopens,
        reassignmentCount: v.reassignmentCount ?? reassignments,
        problem: v.problem ?? null,
        problemId: v.problemId ?? null,
        problemTitle: v.problemTitle ?? null,
        causedBy: v.causedBy ?? null,
        changeRef: v.changeRef ?? null,
        verdict,
        attributes: sharedAttributes(attrsOf(v), prev?.attributes),
        source: v.source ?? null,
        openedBy: v.openedBy ?? null,
        resolvedBy: v.resolvedBy ?? null,
      };
      snaps.push(snap);
      prev = snap;
    }
    const final = snaps[snaps.length - 1];
    incidents.push({
      key,
      externalRef: last.externalRef ?? null,
      id: last.id ?? null,
      rows: group.map((r) => r.row),
      snaps,
      final,
      hash: hashSnap(final, provided),
      lastSeq: group.reduce<number | null>((m, r) => (r.v.sequence != null && (m === null || r.v.sequence > m) ? r.v.sequence : m), null),
    });
  }
  return { incidents, problems, eventLog, provided };
}

const EMPTY_ATTRS: Record<string, string> = Object.freeze({}) as Record<string, string>;

function attrsOf(v: RecordValues): Record<string, string> {
  return v.attributesJson ? { ...v.attributesJson, ...v.attributes } : (v.attributes ?? EMPTY_ATTRS);
}

/** The previous state's attributes when equal: most rows repeat them, and equal objects compare fast. */
function sharedAttributes(a: Record<string, string>, prev: Record<string, string> | undefined): Record<string, string> {
  if (!prev || a === prev) return a;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(prev).length) return a;
  for (const k of keys) if (a[k] !== prev[k]) return a;
  return prev;
}

function statusDefault(raw: string | number | undefined): { status: IncidentStatus; holdReason: HoldReason | null } {
  if (typeof raw !== 'string' || !raw) return { status: 'NEW', holdReason: null };
  const [status, reason] = raw.split(':') as [IncidentStatus, HoldReason | undefined];
  return { status, holdReason: status === 'ON_HOLD' ? (reason ?? 'AWAITING_USER') : null };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The provided fields of a state, in a fixed order. */
export function hashSnap(s: Snap, provided: Set<OptionalField>): string {
  const p = (f: OptionalField, v: unknown) => (provided.has(f) ? v : undefined);
  const body = [
    s.title,
    p('description', s.description),
    p('status', s.status),
    p('status', s.holdReason),
    p('impact', s.impact),
    p('urgency', s.urgency),
    p('priority', s.priority),
    p('service', s.service),
    p('category', s.category),
    p('category', s.subcategory),
    p('team', s.team),
    p('assignee', s.assignee),
    p('reporter', s.reporter),
    p('major', s.major),
    p('detectedAt', iso(s.detectedAt)),
    iso(s.openedAt),
    p('acknowledgedAt', iso(s.acknowledgedAt)),
    p('resolution', iso(s.resolvedAt)),
    p('resolution', iso(s.closedAt)),
    p('resolution', s.resolutionKind),
    p('resolution', s.resolutionCode),
    p('resolution', s.resolutionNotes),
    p('userConfirmed', s.userConfirmed),
    p('reopenCount', s.reopenCount),
    p('reassignmentCount', s.reassignmentCount),
    p('problem', s.problem),
    p('problem', s.problemId),
    p('causedBy', s.causedBy),
    p('changeRef', s.changeRef),
    p('verdict', s.verdict),
    p(
      'attributes',
      Object.keys(s.attributes)
        .sort()
        .map((k) => [k, s.attributes[k]]),
    ),
  ];
  return createHash('sha1').update(JSON.stringify(body)).digest('base64url');
}
