/** Who is acting. Until accounts land (issue 9), a request may name a user by the X-Actor-Email header. */
export interface Actor {
  id: string | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };
