/**
 * Types, annotation names and permissions shared by the Product OS plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './caseLines';
export * from './diagnosisLifecycle';
export * from './facts';
export * from './format';
export * from './healthRank';
export * from './leaders';
export * from './liveUpdates';
export * from './permissions';
export * from './types';
export * from './sync';
