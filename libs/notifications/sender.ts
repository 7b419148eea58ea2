/**
 * The From header: the service's own address (the one its domain may send from) under the
 * deployment's sender name when it has one. The name is quoted, so no character in it can add an
 * address or a header (it holds no line breaks: the settings refuse them).
 */
export function fromHeader(from: string, senderName: string | null): string {
  if (!senderName) return from;
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  return `"${senderName.replace(/["\\]/g, (c) => `\\${c}`)}" <${address}>`;
}
