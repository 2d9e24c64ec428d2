export * from './lifecycle';
export * from './priority-matrix';
