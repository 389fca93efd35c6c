export * from './api';
export * from './ledger';
export * from './processes';
export * from './procs';
export * from './proxy';
export * from './results';
export * from './stats';
export * from './seed';
