/** Room for the first pages; it grows (doubling) for a page that needs more, and stays grown. */
const FIRST_SIZE = 256 * 1024;

/**
 * Pages of text lines as UTF-8 bytes, each line encoded as soon as it is made. Joining a page's lines
 * into one string and letting the socket encode it costs about twice as much: V8 first copies the
 * page's many small pieces into one flat string, then the encoder reads it again. Here each line is
 * written into one buffer kept for the whole stream, and a page leaves as a copy of what it filled (the
 * socket may still hold the page before).
 */
export class Utf8Pages {
  private scratch = Buffer.allocUnsafe(FIRST_SIZE);

  encode<T>(items: readonly T[], line: (item: T) => string): Buffer {
    let filled = 0;
    for (const item of items) {
      const text = line(item);
      // A UTF-16 unit never takes more than 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 units).
      if (this.scratch.length - filled < text.length * 3) this.grow(filled, filled + text.length * 3);
      filled += this.scratch.write(text, filled);
    }
    return Buffer.from(this.scratch.subarray(0, filled));
  }

  private grow(filled: number, needed: number): void {
    let size = this.scratch.length * 2;
    while (size < needed) size *= 2;
    const larger = Buffer.allocUnsafe(size);
    this.scratch.copy(larger, 0, 0, filled);
    this.scratch = larger;
  }
}
