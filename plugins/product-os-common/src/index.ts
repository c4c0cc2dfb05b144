/**
 * Types, annotation names and permissions shared by the Product OS plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './diagnosisLifecycle';
export * from './facts';
export * from './leaders';
export * from './permissions';
export * from './types';
export * from './sync';
