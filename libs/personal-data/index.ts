// Personal data sealed at rest: one key per person outside the log (crypto-shredding), keyed HMACs of
// addresses, and the event store decorator that seals and opens events' personal fields.
export * from './personal-data-keys.schema';
export * from './personal-data-vault';
export * from './personal-fields';
export * from './sealing-event-store';
export { isSealed } from './sealed-value';
export * from './personal-data-erasers';
export * from './personal-data-events';
export * from './address-eraser';
