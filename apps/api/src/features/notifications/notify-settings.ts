/**
 * Settings of the notification job, set once at start by startApp and read by the background job,
 * the admin's test message and the mutations that queue mail: where links point (PUBLIC_WEB_URL)
 * and where mail goes (SMTP_URL, MAIL_FROM; no SMTP_URL, no mail).
 */
export const notifySettings: { publicWebUrl: string; smtpUrl: string | undefined; mailFrom: string } = {
  publicWebUrl: 'http://localhost:3000',
  smtpUrl: undefined,
  mailFrom: 'Incident knowledge base <incidents@localhost>',
};

/** The web app's address without a trailing slash, for links in messages. */
export const webUrl = (path = '') => `${notifySettings.publicWebUrl.replace(/\/+$/, '')}${path}`;
