/**
 * SQL for the text of the alerts on an incident (titles, label and annotation values), as evidence
 * for suggestions (@ikb/domain scoreSuggestion). Capped: a flood of alerts must not make every
 * suggestion slow, and the first alerts say what the incident is.
 */
export const ALERT_TEXT_MAX = 8000;

export const alertTextSql = (incidentId: string) =>
  `left(coalesce((select string_agg(concat_ws(' ', a.title,
      (select string_agg(value, ' ') from jsonb_each_text(a.labels)),
      (select string_agg(value, ' ') from jsonb_each_text(a.annotations))), ' ' order by a.first_received_at)
    from ingested_alerts a where a.incident_id = ${incidentId}), ''), ${ALERT_TEXT_MAX})`;
