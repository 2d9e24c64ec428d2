import { formatShare } from './format';

/**
 * The success rate beside the applications still in flight: those have no outcome yet and are in
 * neither side of the rate, so they are named apart ("50 % · 2 in flight").
 */
export function heldText(share: number | null | undefined, inFlight: number | null | undefined): string {
  const rate = share == null && inFlight ? 'no outcome yet' : formatShare(share);
  return inFlight ? `${rate} · ${inFlight} in flight` : rate;
}
