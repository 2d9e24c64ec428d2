export * from './status';
export * from './answers';
