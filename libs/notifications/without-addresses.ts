/** Providers often quote the address they refused: staff see the invitation's address anyway, logs and events need not. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, 'the address');
}
