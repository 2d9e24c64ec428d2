export * from './effectiveness';
export * from './suggestion-evidence';
export * from './knowledge-lifecycle';
export * from './knowledge-stats';
export * from './knowledge-words';
