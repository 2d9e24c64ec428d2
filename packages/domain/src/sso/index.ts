export * from './sso-rules';
