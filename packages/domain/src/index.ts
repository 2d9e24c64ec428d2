export * from './lifecycle';
export * from './priority-matrix';
export * from './sla';
export * from './problem-lifecycle';
export * from './review-rules';
export * from './metrics';
export * from './text-rules';
export * from './permissions';
