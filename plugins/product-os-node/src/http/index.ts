export * from './errors';
export * from './eventLoop';
export * from './rateLimit';
export * from './readBody';
export * from './signatures';
