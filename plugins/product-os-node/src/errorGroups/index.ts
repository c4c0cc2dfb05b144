export * from './fingerprint';
export * from './normalizeMessage';
