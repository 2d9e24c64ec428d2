export * from './lifecycle';
export * from './priority-matrix';
export * from './sla';
