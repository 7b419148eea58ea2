export * from './correlation-id';
export * from './idempotency';
export * from './idempotency-eraser';
