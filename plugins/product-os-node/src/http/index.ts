export * from './errors';
export * from './rateLimit';
export * from './readBody';
export * from './signatures';
