'use client';
// Reads a chosen .ics file through the API's preview (nothing stored) and keeps the admin's choice of dates.
import { useApolloClient } from '@apollo/client/react';
import { useState } from 'react';
import { HolidayImportPreviewDocument, type HolidayImportPreviewQuery } from '@/gql/graphql';
import { describeError, fieldErrors, type FieldError } from '@/lib/errors';
import { fileToBase64 } from '@/lib/ics-file';

export type IcsPreview = HolidayImportPreviewQuery['holidayImportPreview'];

export function useIcsPreview(calendarId?: string) {
  const client = useApolloClient();
  const [preview, setPreview] = useState<IcsPreview | null>(null);
  const [icsBase64, setIcsBase64] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  // The same refusal with the field each message concerns (the file: "line 12: ..."), for the file's Field.
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  async function load(file: File | null | undefined) {
    setPreview(null);
    setError(null);
    setErrors([]);
    if (!file || !file.size) return;
    setBusy(true);
    try {
      const b64 = await fileToBase64(file);
      const r = await client.query({
        query: HolidayImportPreviewDocument,
        variables: { calendarId, icsBase64: b64 },
        fetchPolicy: 'no-cache',
      });
      if (r.error) throw r.error;
      const p = r.data!.holidayImportPreview;
      setIcsBase64(b64);
      setPreview(p);
      setChosen(new Set(p.days.filter((d) => d.selected).map((d) => d.date)));
    } catch (err) {
      setError(describeError(err));
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  function toggle(date: string, on: boolean) {
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(date);
      else next.delete(date);
      return next;
    });
  }

  return {
    preview,
    icsBase64,
    chosen,
    toggle,
    choose: (dates: string[]) => setChosen(new Set(dates)),
    load,
    error,
    errors,
    busy,
    reset: () => setPreview(null),
  };
}
