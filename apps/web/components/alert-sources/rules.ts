// Classification rules of an alert source as JSON text in a textarea: the documented example
// (docs/imports.md, "Classification"; apps/api/src/features/ingest/ingest-rules.ts) and the
// browser-side check that the text is a JSON object before anything is sent. Whether the rules
// make sense is the API's to say (its issues are shown at the rules field).

export const RULES_EXAMPLE = `{
  "rules": [
    {
      "name": "checkout critical",
      "when": { "severity": "critical", "service": "/^checkout/" },
      "set": { "impact": 1, "urgency": 1, "service": "Checkout", "category": "Software", "team": "Payments on-call", "major": true }
    }
  ],
  "defaults": { "impact": 3, "urgency": 3, "team": "Service Desk" },
  "severity": { "page": { "impact": 1, "urgency": 1 } },
  "useModels": true,
  "modelMinScore": 30,
  "reopenWindowMinutes": 60
}`;

export const RULES_HELP =
  'JSON: "rules" (first match wins: "when" label -> value, "/regex/" or a list; ' +
  '"set" impact, urgency 1-3, service, category, team by name, major), ' +
  '"defaults", "severity" (label value -> impact and urgency), "useModels", "modelMinScore", ' +
  '"reopenWindowMinutes" (0 to 43200, default 60), ' +
  '"format" (to force one: alertmanager, grafana, pagerduty, opsgenie, datadog, generic). ' +
  'Empty: severity labels and incident models classify.';

export type ParsedRules = { ok: true; rules: Record<string, unknown> } | { ok: false; message: string };

/** The textarea's text as a JSON object; empty text is no rules ({}). */
export function parseRules(text: string): ParsedRules {
  const t = text.trim();
  if (!t) return { ok: true, rules: {} };
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch (err) {
    return { ok: false, message: `Rules: not valid JSON (${err instanceof Error ? err.message : String(err)}). Nothing was sent.` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'Rules: must be a JSON object ({ … }), like the example. Nothing was sent.' };
  }
  return { ok: true, rules: value as Record<string, unknown> };
}

export function rulesText(rules: Record<string, unknown> | null | undefined): string {
  return rules && Object.keys(rules).length ? JSON.stringify(rules, null, 2) : '';
}
