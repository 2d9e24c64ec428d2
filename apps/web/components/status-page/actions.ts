'use server';
// Server actions of the public status page: the browser posts to the web server, which calls the
// API (no CORS, and the page works without JavaScript).
import { statusCall } from '@/lib/status-api';

export interface SubscribeState {
  ok: boolean;
  message: string | null;
  errors: { field?: string; message: string }[];
}

export async function subscribeAction(_prev: SubscribeState, form: FormData): Promise<SubscribeState> {
  const email = form.get('email');
  const serviceIds = form.getAll('serviceIds').filter((v): v is string => typeof v === 'string');
  const answer = await statusCall('/status/subscribe', {
    method: 'POST',
    json: { email: typeof email === 'string' ? email : '', serviceIds },
  });
  if (answer.ok) return { ok: true, message: answer.message, errors: [] };
  return { ok: false, message: null, errors: [{ field: answer.field, message: answer.message }] };
}

export async function unsubscribeAction(_prev: SubscribeState, form: FormData): Promise<SubscribeState> {
  const token = form.get('token');
  const answer = await statusCall(`/status/unsubscribe?token=${encodeURIComponent(typeof token === 'string' ? token : '')}`, {
    method: 'POST',
  });
  return answer.ok
    ? { ok: true, message: answer.message, errors: [] }
    : { ok: false, message: null, errors: [{ message: answer.message }] };
}
