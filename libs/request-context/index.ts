export * from './correlation-id';
export * from './idempotency';
export * from './idempotency-eraser';
export * from './idempotency-housekeeping';
export * from './page-limit';
