/**
 * Extension points and types that Product OS backend modules implement.
 *
 * @packageDocumentation
 */
export * from './entities';
export * from './extensions';
export * from './narrator';
export * from './records';
export * from './userKey';
export * from './store';
export * from './sourceStore';
export * from './pull';
export * from './sync';
export * from './vendorApi';
export * from './ingest';
export * from './errorGroups';
export * from './http';
export * from './workers';
