export * from './runPull';
export * from './scopes';
