export * from './events';
export * from './routing';
export * from './retry';
export * from './chat-formats';
export * from './derive';
export * from './messages';
export * from './mail-render';
export * from './ical-invite';
