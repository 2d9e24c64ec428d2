export * from './state';
export * from './uptime';
