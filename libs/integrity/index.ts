// Tamper evidence: a hash chain over the log, kept in SQL for every store, checked by
// `npm run audit:verify`, with signed anchors for auditors.
export * from './chain-link';
export * from './chain-links';
export * from './chain-anchor';
export * from './event-chain-schema';
export * from './event-chain-keeper';
export * from './verify-chain';
export * from './integrity-answers';
export * from './integrity.module';
