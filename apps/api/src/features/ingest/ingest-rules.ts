import { MAX_REOPEN_WINDOW_MINUTES } from '@ikb/domain';
import { ALERT_FORMATS, type AlertFormat } from './ingest-reader';
/**
 * Classification rules of an alert source (stored with the source, documented in docs/imports.md):
 *
 *   {
 *     "rules": [
 *       { "name": "payments down", "when": { "severity": "critical", "service": "/^payments/" },
 *         "set": { "impact": 1, "urgency": 1, "service": "Payments API", "category": "Software", "team": "Payments on-call",
 *                  "major": true } }
 *     ],
 *     "defaults": { "impact": 2, "urgency": 2, "team": "Service Desk" },
 *     "severity": { "page": { "impact": 1, "urgency": 1 } },
 *     "useModels": true,
 *     "modelMinScore": 30,
 *     "reopenWindowMinutes": 60,
 *     "format": "alertmanager"
 *   }
 *
 * `when` keys are label names, `annotations.<name>`, `status` or `title`; a value matches
 * case-insensitively, "/regex/flags" is a regular expression, a list matches any of its values.
 * The first rule whose conditions all hold classifies the incident; without one, a matching
 * incident model is applied (score >= modelMinScore). `reopenWindowMinutes` is the window of
 * @ikb/domain decideFiring; `format` reads every body of the source as that format.
 */
export interface Classification {
  impact?: number;
  urgency?: number;
  service?: string;
  category?: string;
  team?: string;
  major?: boolean;
}

export interface SourceRule {
  name?: string;
  when: Record<string, string | string[]>;
  set: Classification;
}

export interface SourceRules {
  rules?: SourceRule[];
  defaults?: Classification;
  severity?: Record<string, { impact: number; urgency: number }>;
  useModels?: boolean;
  modelMinScore?: number;
  /** Minutes after a resolution in which a firing alert reopens the incident (docs/imports.md); default 60. */
  reopenWindowMinutes?: number;
  /** Reads every body as this format instead of telling it by its shape. */
  format?: AlertFormat;
}

/** Severity label -> impact and urgency when no rule sets them. */
export const SEVERITY_LEVELS: Record<string, { impact: number; urgency: number }> = {
  critical: { impact: 1, urgency: 1 },
  page: { impact: 1, urgency: 1 },
  high: { impact: 1, urgency: 2 },
  major: { impact: 1, urgency: 2 },
  error: { impact: 1, urgency: 2 },
  warning: { impact: 2, urgency: 2 },
  warn: { impact: 2, urgency: 2 },
  medium: { impact: 2, urgency: 2 },
  low: { impact: 2, urgency: 3 },
  minor: { impact: 2, urgency: 3 },
  info: { impact: 3, urgency: 3 },
  none: { impact: 3, urgency: 3 },
  // Priorities as PagerDuty, Opsgenie and Datadog write them (read from labels.priority).
  p1: { impact: 1, urgency: 1 },
  p2: { impact: 1, urgency: 2 },
  p3: { impact: 2, urgency: 2 },
  p4: { impact: 2, urgency: 3 },
  p5: { impact: 3, urgency: 3 },
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkClassification(v: unknown, path: string, issues: string[]) {
  if (!isObj(v)) {
    issues.push(`${path}: must be an object`);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    if (k === 'impact' || k === 'urgency') {
      if (![1, 2, 3].includes(x as number)) issues.push(`${path}.${k}: must be 1, 2 or 3`);
    } else if (k === 'service' || k === 'category' || k === 'team') {
      if (typeof x !== 'string' || !x.trim()) issues.push(`${path}.${k}: must be a name`);
    } else if (k === 'major') {
      if (typeof x !== 'boolean') issues.push(`${path}.major: must be true or false`);
    } else issues.push(`${path}.${k}: unknown; use impact, urgency, service, category, team, major`);
  }
}

function regexOf(pattern: string): RegExp | null {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!m) return null;
  return new RegExp(m[1], m[2].includes('i') ? m[2] : `${m[2]}i`);
}

export function validateRules(raw: unknown): { ok: true; rules: SourceRules } | { ok: false; issues: string[] } {
  const issues: string[] = [];
  if (!isObj(raw)) return { ok: false, issues: ['must be a JSON object'] };
  for (const k of Object.keys(raw)) {
    if (!['rules', 'defaults', 'severity', 'useModels', 'modelMinScore', 'reopenWindowMinutes', 'format'].includes(k) && !k.startsWith('$'))
      issues.push(`${k}: unknown; use rules, defaults, severity, useModels, modelMinScore`);
  }
  if (raw.rules !== undefined) {
    if (!Array.isArray(raw.rules)) issues.push('rules: must be a list');
    else {
      raw.rules.forEach((r, i) => {
        if (!isObj(r)) return issues.push(`rules[${i}]: must be an object with "when" and "set"`);
        if (!isObj(r.when) || !Object.keys(r.when).length) issues.push(`rules[${i}].when: must be an object of label -> value`);
        else {
          for (const [k, v] of Object.entries(r.when)) {
            const values = Array.isArray(v) ? v : [v];
            if (!values.length || values.some((x) => typeof x !== 'string'))
              issues.push(`rules[${i}].when.${k}: must be a text or a list of texts`);
            for (const x of values) {
              if (typeof x === 'string' && x.startsWith('/')) {
                try {
                  if (!regexOf(x)) issues.push(`rules[${i}].when.${k}: "${x}" should be written /pattern/flags`);
                } catch (err) {
                  issues.push(`rules[${i}].when.${k}: ${(err as Error).message}`);
                }
              }
            }
          }
        }
        checkClassification(r.set, `rules[${i}].set`, issues);
      });
    }
  }
  if (raw.defaults !== undefined) checkClassification(raw.defaults, 'defaults', issues);
  if (raw.severity !== undefined) {
    if (!isObj(raw.severity)) issues.push('severity: must be an object of severity -> { impact, urgency }');
    else
      for (const [k, v] of Object.entries(raw.severity)) {
        if (!isObj(v) || ![1, 2, 3].includes(v.impact as number) || ![1, 2, 3].includes(v.urgency as number))
          issues.push(`severity.${k}: must be { "impact": 1-3, "urgency": 1-3 }`);
      }
  }
  if (raw.useModels !== undefined && typeof raw.useModels !== 'boolean') issues.push('useModels: must be true or false');
  if (
    raw.modelMinScore !== undefined &&
    !(Number.isInteger(raw.modelMinScore) && (raw.modelMinScore as number) >= 1 && (raw.modelMinScore as number) <= 100)
  )
    issues.push('modelMinScore: must be 1 to 100');
  const w = raw.reopenWindowMinutes;
  if (w !== undefined && !(Number.isInteger(w) && (w as number) >= 0 && (w as number) <= MAX_REOPEN_WINDOW_MINUTES))
    issues.push(`reopenWindowMinutes: must be a whole number of minutes from 0 to ${MAX_REOPEN_WINDOW_MINUTES}`);
  if (raw.format !== undefined && !(ALERT_FORMATS as readonly unknown[]).includes(raw.format))
    issues.push(`format: must be one of ${ALERT_FORMATS.join(', ')}`);
  return issues.length ? { ok: false, issues } : { ok: true, rules: raw as SourceRules };
}

export interface AlertFacts {
  status: string;
  title: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function valueOf(facts: AlertFacts, key: string): string | undefined {
  if (key === 'status') return facts.status;
  if (key === 'title') return facts.title;
  if (key.startsWith('annotations.')) return facts.annotations[key.slice(12)];
  if (key.startsWith('labels.')) return facts.labels[key.slice(7)];
  return facts.labels[key];
}

function matches(value: string | undefined, expected: string): boolean {
  if (value === undefined) return false;
  const re = expected.startsWith('/') ? regexOf(expected) : null;
  return re ? re.test(value) : value.trim().toLowerCase() === expected.trim().toLowerCase();
}

/** The first rule whose conditions all hold. */
export function matchRule(rules: SourceRules, facts: AlertFacts): SourceRule | null {
  for (const rule of rules.rules ?? []) {
    const ok = Object.entries(rule.when).every(([k, v]) => (Array.isArray(v) ? v : [v]).some((x) => matches(valueOf(facts, k), x)));
    if (ok) return rule;
  }
  return null;
}

/** Impact and urgency when neither the defaults, the severity nor a rule sets them: 3 (low). */
const LOWEST_LEVELS = { impact: 3, urgency: 3 } as const;

/**
 * What the incident gets: the rule's settings over the severity's impact and urgency over the
 * source defaults; `ruleMatched` says whether a rule decided (otherwise models may).
 */
export function classify(
  rules: SourceRules,
  facts: AlertFacts,
): { set: Required<Pick<Classification, 'impact' | 'urgency'>> & Classification; rule: SourceRule | null } {
  const rule = matchRule(rules, facts);
  const sev = (facts.labels.severity ?? facts.labels.priority ?? '').trim().toLowerCase();
  const bySeverity = rules.severity?.[sev] ?? SEVERITY_LEVELS[sev];
  const set = { ...LOWEST_LEVELS, ...rules.defaults, ...bySeverity, ...rule?.set } as Required<Pick<Classification, 'impact' | 'urgency'>> &
    Classification;
  return { set, rule };
}
