export const CSV_LIMITS = Symbol('CsvLimits');
