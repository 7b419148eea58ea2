import { Utf8Pages } from './utf8-pages';

const asJoined = (lines: string[]) => Buffer.from(lines.join(''), 'utf8');

describe('pages of lines as UTF-8', () => {
  it('are the bytes of the lines joined, page after page, with the buffer reused', () => {
    const bytes = new Utf8Pages();
    const pages = [
      ['{"a":1}\n', '{"name":"Zoë Ångström 山田"}\n'],
      ['emoji 😀 and a lone surrogate \ud83d end\n', '\u2028\u2029\n'],
      [],
      ['plain\n'],
    ];
    const encoded = pages.map((lines) => bytes.encode(lines, (line) => line));
    expect(encoded.map((chunk) => chunk.toString('hex'))).toEqual(
      pages.map((lines) => asJoined(lines).toString('hex')),
    );
  });

  it('grows for a page larger than its buffer, keeping what the page had filled', () => {
    const bytes = new Utf8Pages();
    const lines = ['start\n', `${'山'.repeat(200_000)}\n`, `${'x'.repeat(700_000)}\n`, 'end ✓\n'];
    expect(bytes.encode(lines, (line) => line).equals(asJoined(lines))).toBe(true);
    expect(bytes.encode(['after\n'], (line) => line).toString()).toBe('after\n');
  });

  it('hands each page its own bytes: a page still being written out is not overwritten by the next', () => {
    const bytes = new Utf8Pages();
    const first = bytes.encode(['first page\n'], (line) => line);
    bytes.encode(['SECOND PAGE\n'], (line) => line);
    expect(first.toString()).toBe('first page\n');
  });
});
