export * from './runPull';
export * from './scopes';
export * from './scheduleFrequency';
