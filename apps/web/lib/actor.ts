/** Cookie holding the email of the user the browser acts as (sent to the API as X-Actor-Email). */
export const ACTOR_COOKIE = 'ikb_actor';
export const ACTOR_HEADER = 'x-actor-email';
