// The event store as a port: types, the envelope every event carries, the one command-handling
// path, and the shared rules adapters implement. Plain TypeScript: no Nest, no drivers, so the
// domain may import it.
export * from './event-store';
export * from './errors';
export * from './event-envelope';
export * from './metadata-envelope';
export * from './handle-command';
export * from './apply-decided';
export * from './stream-state';
export * from './deterministic-id';
export * from './upcasters';
export * from './stored-event-record';
// For adapters (event-store-adapters) and processors (event-processing):
export * from './append-rules';
export * from './append-notifier';
export { EventStoreBase } from './event-store-base';
