export * from './createSourceStore';
export * from './ErrorRiseCheck';
export * from './forEntities';
