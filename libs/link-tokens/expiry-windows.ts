/** How long a link may work: exactly the four windows of API.md, in seconds; 1y is 365 days. */
export const EXPIRY_WINDOWS = {
  '24h': 24 * 3600,
  '48h': 48 * 3600,
  '7d': 7 * 24 * 3600,
  '1y': 365 * 24 * 3600,
} as const;
export type ExpiryWindowName = keyof typeof EXPIRY_WINDOWS;

export function isExpiryWindowName(value: unknown): value is ExpiryWindowName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EXPIRY_WINDOWS, value);
}
