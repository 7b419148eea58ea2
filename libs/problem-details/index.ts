export * from './problem';
export * from './problem-details.filter';
