import { utcOffsetLabel } from '@ikb/domain';
import type { Metadata } from 'next';
import { CalendarForm } from '@/components/admin/calendar-form';
import { IcsCalendarForm } from '@/components/admin/ics-calendar-form';
import { IcsImportForm } from '@/components/admin/ics-import-form';
import { Empty, ErrorBox } from '@/components/ui';
import { AdminCalendarsDocument } from '@/gql/graphql';
import { formatDate, humanize } from '@/lib/format';
import { gql } from '@/lib/server';
import { IfAllowed } from '@/components/if-allowed';

export const metadata: Metadata = { title: 'Business calendars' };

/** " (UTC+01:00 now)"; nothing for a zone this server's Intl does not know. */
function offsetNow(zone: string): string {
  try {
    return ` (${utcOffsetLabel(zone)} now)`;
  } catch {
    return '';
  }
}

export default async function CalendarsPage() {
  const res = await gql(AdminCalendarsDocument);
  if (res.error !== undefined) return <ErrorBox title="Calendars could not be loaded" message={res.error} />;
  return (
    <>
      <h1>Business calendars</h1>
      <p className="lead">SLA targets count business minutes of a calendar: weekly working hours in a time zone, minus holidays.</p>
      {res.data.businessCalendars.length ? (
        res.data.businessCalendars.map((c) => (
          <section key={c.id} className="panel" aria-labelledby={`cal-${c.id}`}>
            <div className="panel-head">
              <h2 id={`cal-${c.id}`}>{c.name}</h2>
              <span className="muted small">
                {c.timeZone}
                {offsetNow(c.timeZone)}
              </span>
            </div>
            <p className="small">
              {c.weeklyHours.length ? c.weeklyHours.map((h) => `${humanize(h.day)} ${h.start}–${h.end}`).join(' · ') : 'No working hours'}
            </p>
            <p className="small muted">
              {c.holidays.length} holidays
              {c.holidays.length
                ? `: ${c.holidays
                    .slice(0, 6)
                    .map((h) => `${formatDate(h.date)} ${h.name}`)
                    .join(', ')}${c.holidays.length > 6 ? ', …' : ''}`
                : ''}
            </p>
            <IfAllowed op="updateBusinessCalendar">
              <details className="action">
                <summary>Edit hours and holidays</summary>
                <div className="body">
                  <CalendarForm calendar={c} />
                </div>
              </details>
              <details className="action">
                <summary>Import holidays from .ics</summary>
                <div className="body">
                  <IcsImportForm calendarId={c.id} />
                </div>
              </details>
            </IfAllowed>
          </section>
        ))
      ) : (
        <Empty>No calendars yet.</Empty>
      )}
      <IfAllowed op="createBusinessCalendar" fallback={<p className="read-only-note">Configuration is changed by admins.</p>}>
        <section className="panel" aria-labelledby="new-h">
          <h2 id="new-h">Add a calendar</h2>
          <CalendarForm />
        </section>
        <section className="panel" aria-labelledby="new-ics-h">
          <h2 id="new-ics-h">Add a calendar from an .ics file</h2>
          <IcsCalendarForm />
        </section>
      </IfAllowed>
    </>
  );
}
