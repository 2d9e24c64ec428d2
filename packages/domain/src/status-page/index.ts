export * from './state';
export * from './uptime';
export * from './status-document';
