export * from './synonyms';
export * from './synonym-defaults';
export * from './search-log';
