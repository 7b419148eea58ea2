import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { detectDelimiter, readCsv } from './csv-reader';

const limits = { maxBytes: 10 * 1024 * 1024, maxRows: 100_000, maxRecordSize: 64 * 1024 };
const spectrum = dirname(require.resolve('csv-spectrum/package.json'));

async function rows(input: string | Buffer, chunk = 7) {
  const buffer = typeof input === 'string' ? Buffer.from(input) : input;
  const chunks = Array.from({ length: Math.ceil(buffer.length / chunk) }, (_, i) =>
    buffer.subarray(i * chunk, (i + 1) * chunk),
  );
  const out = [];
  for await (const row of readCsv(chunks, limits)) out.push(row);
  return out;
}

describe('csv-spectrum: the parser reads all 12 cases as their authors expect', () => {
  const cases = readdirSync(join(spectrum, 'csvs')).filter((f) => f.endsWith('.csv'));
  it('has the 12 cases', () => expect(cases).toHaveLength(12));

  it.each(cases)('%s', async (file) => {
    const parsed = (await rows(readFileSync(join(spectrum, 'csvs', file)))).map((r) => r.cells);
    const [header, ...data] = parsed;
    const objects = data.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
    const expected = JSON.parse(readFileSync(join(spectrum, 'json', file.replace(/\.csv$/, '.json')), 'utf8'));
    if (file === 'location_coordinates.csv') {
      // csv-spectrum 2.0.0's JSON for this case is one bare object whose phone number is not the CSV's (2095257564).
      expect(objects).toEqual([{ ...expected, 'Contact Phone Number': '2095257564' }]);
      return;
    }
    expect(objects).toEqual(expected);
  });
});

describe('reading uploads', () => {
  it('counts physical lines: header, blank lines and quoted line breaks included', async () => {
    const out = await rows('Email\n\n"a@x.org"\n"multi\nline",x\n\nb@x.org\n');
    expect(out.filter((r) => r.cells.some((c) => c !== '')).map((r) => [r.line, r.cells[0]])).toEqual([
      [1, 'Email'],
      [3, 'a@x.org'],
      [4, 'multi\nline'],
      [7, 'b@x.org'],
    ]);
  });

  it.each([
    [
      'CRLF rows, a CRLF inside quotes',
      'Email\r\n"multi\r\nline",x\r\nb@x.org\r\n"three\r\nline\nnote",y\r\nc@x.org\r\n',
    ],
    ['CR rows, a CR inside quotes', 'Email\r"multi\rline",x\rb@x.org\r"three\rline\rnote",y\rc@x.org\r'],
  ])('counts a line break inside a quoted cell once, whatever it is made of (%s)', async (_, text) => {
    expect((await rows(text)).map((r) => r.line)).toEqual([1, 2, 4, 5, 8]);
  });

  it.each([
    ['a,b;c;d', ';'],
    ['a\tb\tc', '\t'],
    ['"x;y;z",b,c', ','],
    ['single', ','],
    ['\n\n  \nemail;name', ';'],
  ])('detects the separator of %j as %j', (head, delimiter) => expect(detectDelimiter(head)).toBe(delimiter));

  it.each([
    ['UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Email\r\nä@x.org\r\n', 'utf16le')])],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('Email\r\nä@x.org\r\n', 'utf16le').swap16()])],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Email\r\nä@x.org\r\n')])],
  ])('decodes %s', async (_, buffer) => {
    expect((await rows(buffer, 3)).map((r) => r.cells[0])).toEqual(['Email', 'ä@x.org']);
  });

  it.each([
    ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), 'binary'],
    ['invalid UTF-8', Buffer.from([0x61, 0x40, 0xc3, 0x28, 0x2e, 0x6f, 0x72, 0x67]), 'not UTF-8'],
    [
      'an unclosed quote',
      Buffer.from('email\n"a@x.org\nb@x.org\n'),
      'Quote Not Closed in the record starting on line 2',
    ],
  ])('refuses %s with invalid_csv', async (_, buffer, reason) => {
    await expect(rows(buffer)).rejects.toMatchObject({ code: 'invalid_csv', message: expect.stringContaining(reason) });
  });

  it.each([1, 7, 4096])(
    'names the line a broken record starts on, line breaks in quoted cells counted once (chunks of %i bytes)',
    async (chunk) => {
      // Physical lines: 1 header, 2-3 a, 4-6 b, 7 c, 8 d (its quote never closes), 9 e.
      const crlf = 'email,name\r\n"a@x.org","multi\r\nline"\r\n"b@x.org","two\r\nlines\r\nhere"\r\nc@x.org,x\r\n';
      await expect(rows(`${crlf}"d@x.org,unclosed\r\ne@x.org\r\n`, chunk)).rejects.toMatchObject({
        code: 'invalid_csv',
        message: expect.stringContaining('Quote Not Closed in the record starting on line 8'),
      });
      await expect(rows(`${crlf}${'x'.repeat(70_000)}\r\ne@x.org\r\n`, chunk)).rejects.toMatchObject({
        message: expect.stringContaining('the record starting on line 8 is longer than 65536 characters'),
      });
    },
  );

  it('refuses a record longer than the limit, and a file larger than the limit', async () => {
    const long = `${'x'.repeat(70_000)}\n`;
    await expect(rows(long, 4096)).rejects.toMatchObject({ code: 'invalid_csv' });
    const chunks = [Buffer.from('a@x.org\n'.repeat(800_000)), Buffer.from('a@x.org\n'.repeat(800_000))];
    const reading = (async () => {
      for await (const _ of readCsv(chunks, limits));
    })();
    await expect(reading).rejects.toMatchObject({ maxBytes: limits.maxBytes });
  });
});
