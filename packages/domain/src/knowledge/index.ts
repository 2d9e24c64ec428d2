export * from './effectiveness';
export * from './suggestion-evidence';
