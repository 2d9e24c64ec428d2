'use client';
// What a channel hears of: events (not those addressed to one person, nor those not sent yet), and optionally
// only some priorities, services, teams, or major incidents. The same fields in the add and edit forms.
import { Field, bool, type Option } from '@/components/forms';
import type { NotificationEvent, NotificationRuleInput } from '@/gql/graphql';
import { PRIORITY_LABELS } from '@/lib/format';

export type EventOption = { event: NotificationEvent; label: string; description: string; personal: boolean; available: boolean };

export function ruleFrom(f: FormData): NotificationRuleInput {
  return {
    events: f.getAll('events').map(String) as NotificationEvent[],
    priorities: f.getAll('priorities').map(Number),
    serviceIds: f.getAll('serviceIds').map(String),
    teamIds: f.getAll('teamIds').map(String),
    majorOnly: bool(f, 'majorOnly'),
  };
}

export function RuleFields({
  events,
  services,
  teams,
  rule,
}: {
  events: EventOption[];
  services: Option[];
  teams: Option[];
  rule?: { events: string[]; priorities: number[]; serviceIds: string[]; teamIds: string[]; majorOnly: boolean };
}) {
  return (
    <>
      <fieldset className="wide">
        <legend>Events</legend>
        <div className="checks">
          {events
            // Offered: what a channel can take and this version sends (or a rule already holds).
            .filter((e) => !e.personal && (e.available || rule?.events.includes(e.event)))
            .map((e) => (
              <label key={e.event} title={e.description}>
                <input type="checkbox" name="events" value={e.event} defaultChecked={rule?.events.includes(e.event)} /> {e.label}
              </label>
            ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Priorities (none ticked: all)</legend>
        <div className="checks">
          {[1, 2, 3, 4, 5].map((p) => (
            <label key={p}>
              <input type="checkbox" name="priorities" value={p} defaultChecked={rule?.priorities.includes(p)} /> P{p} {PRIORITY_LABELS[p]}
            </label>
          ))}
        </div>
      </fieldset>
      <Field label="Services (none chosen: all)" hint="Ctrl/⌘-click to pick several." field="serviceIds">
        <select name="serviceIds" multiple size={Math.min(6, Math.max(3, services.length))} defaultValue={rule?.serviceIds ?? []}>
          {services.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Teams (none chosen: all)" hint="The team the incident is assigned to." field="teamIds">
        <select name="teamIds" multiple size={Math.min(6, Math.max(3, teams.length))} defaultValue={rule?.teamIds ?? []}>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </Field>
      <label className="inline small">
        <input type="checkbox" name="majorOnly" defaultChecked={rule?.majorOnly} /> Major incidents only
      </label>
    </>
  );
}
