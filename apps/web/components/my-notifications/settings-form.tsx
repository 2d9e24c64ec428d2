'use client';
// How you are told (updateMyNotificationSettings): a mail as things happen, a daily digest at your
// hour in your time zone, or only the list in the web app; and which events about you (assigned to
// you, action items, reviews awaiting you) you want at all.
import { useState } from 'react';
import { Field, FieldErrors, FormError, Saved, Submit, int, str } from '@/components/forms';
import { TimeZonePicker } from '@/components/admin/time-zone-picker';
import { UpdateMyNotificationSettingsDocument, type NotificationEmailMode, type NotificationEvent } from '@/gql/graphql';
import { useAction } from '@/lib/use-action';
import type { EventOption } from '@/components/notifications/rule-fields';

const MODES: { mode: NotificationEmailMode; label: string }[] = [
  { mode: 'EACH', label: 'A mail as things happen (what comes together, in one mail)' },
  { mode: 'DIGEST', label: 'One digest a day' },
  { mode: 'NONE', label: 'No mail: only the list on this page' },
];

export function SettingsForm({
  settings,
  events,
}: {
  settings: {
    emailMode: NotificationEmailMode;
    digestHour: number;
    timeZone: string;
    personalEvents: NotificationEvent[];
    followThroughDigest: boolean;
  };
  events: EventOption[];
}) {
  const { run, busy, error, errors, done } = useAction(UpdateMyNotificationSettingsDocument);
  const [mode, setMode] = useState(settings.emailMode);
  const chosen = new Set<string>(settings.personalEvents);
  return (
    <form
      className="form"
      aria-label="How you are told"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        await run({
          input: {
            emailMode: mode,
            digestHour: int(f, 'digestHour'),
            timeZone: str(f, 'timeZone'),
            personalEvents: f.getAll('personalEvents').map(String) as NotificationEvent[],
            followThroughDigest: f.get('followThroughDigest') === 'on',
          },
        });
      }}
    >
      <FieldErrors errors={errors}>
        <fieldset className="wide">
          <legend>E-mail</legend>
          <div className="checks">
            {MODES.map((m) => (
              <label key={m.mode}>
                <input type="radio" name="emailMode" value={m.mode} checked={mode === m.mode} onChange={() => setMode(m.mode)} /> {m.label}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Digest hour" hint="0 to 23, on your clock." field="digestHour">
          <input type="number" name="digestHour" min={0} max={23} defaultValue={settings.digestHour} disabled={mode !== 'DIGEST'} />
        </Field>
        <Field label="Your time zone" field="timeZone">
          <TimeZonePicker name="timeZone" required defaultValue={settings.timeZone} />
        </Field>
        <fieldset className="wide">
          <legend>About you</legend>
          <div className="checks">
            {events
              .filter((e) => e.personal && e.available)
              .map((e) => (
                <label key={e.event} title={e.description}>
                  <input type="checkbox" name="personalEvents" value={e.event} defaultChecked={chosen.has(e.event)} /> {e.label}
                </label>
              ))}
          </div>
        </fieldset>
        <fieldset className="wide">
          <legend>Weekly</legend>
          <div className="checks">
            <label>
              <input type="checkbox" name="followThroughDigest" defaultChecked={settings.followThroughDigest} /> My open review action
              items, every Monday at the digest hour
            </label>
          </div>
        </fieldset>
        <FormError error={error} />
      </FieldErrors>
      <div className="actions">
        <Submit busy={busy}>Save</Submit>
        <Saved done={done} error={error} />
      </div>
    </form>
  );
}
