// Durable processors over the global log: checkpoints in the read-model database, one instance at
// a time per processor, and the set-up each context's read models go through.
export * from './processor';
export * from './processor-runner';
export * from './foreground-work';
export * from './checkpoints';
export * from './read-model-setup';
export * from './background-loop';
