export * from './link-token';
export * from './expiry-windows';
