export * from './correlation-id';
export * from './idempotency';
