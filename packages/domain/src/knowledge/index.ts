export * from './effectiveness';
