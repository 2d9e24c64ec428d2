/** The embedded demo's administrator; the API prints this sign-in at start. Not for real deployments. */
export const DEMO_ADMIN_EMAIL = 'admin@example.com';
export const DEMO_ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD || 'review-the-incident-2026';
