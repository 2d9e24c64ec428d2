// The words for knowledge kinds, attention reasons and stale reasons: one set for the
// knowledge-health page, its CSV export (written by the API) and the owners' reminders.
export const KNOWLEDGE_KIND_LABELS = { WORKAROUND: 'Workaround', KNOWN_ERROR: 'Known error', MODEL: 'Incident model' } as const;

export const KNOWLEDGE_ATTENTION_LABELS: Readonly<Record<string, string>> = {
  STALE: 'Stale',
  REVIEW_DUE: 'Review due within 30 days',
  IN_REVIEW_TOO_LONG: 'In review for over 14 days',
  LOW_EFFECTIVENESS: 'Works poorly (enough data)',
};

export const KNOWLEDGE_STALE_LABELS: Readonly<Record<string, string>> = {
  REVIEW_DATE_PASSED: 'review date passed',
  SERVICE_CHANGED: 'service changed',
  CATEGORY_CHANGED: 'category changed',
  APPLIED_INCIDENT_REOPENED: 'an incident it was applied to reopened',
};
