export * from './correlation-id';
