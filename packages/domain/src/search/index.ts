export * from './synonyms';
export * from './synonym-defaults';
