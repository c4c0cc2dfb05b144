export * from './createVendorApi';
export * from './linkPagination';
export * from './retryDelay';
export * from './VendorApiError';
