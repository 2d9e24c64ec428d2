/**
 * Where links in notifications point (PUBLIC_WEB_URL): set once at start by startApp, read by the
 * background job and by the admin's test message.
 */
export const notifySettings = { publicWebUrl: 'http://localhost:3000' };
