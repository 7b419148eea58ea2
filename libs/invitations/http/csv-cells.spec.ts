import { stringify } from 'csv-stringify/sync';
import { Readable } from 'node:stream';
import type { ExportedEvent } from '../application/auditing/export-events';
import { csvCell } from './csv-cells';
import { csv, CSV_COLUMNS } from './event-export-formats';

/** The library the export's CSV used to be written with, kept here as the reference. */
const byLibrary = (records: (string | number)[][], header = false) =>
  stringify(records, { escape_formulas: true, bom: header, header, columns: header ? [...CSV_COLUMNS] : undefined });

const CELLS = [
  'plain',
  '',
  'a,b',
  'say "hi"',
  'two\nlines',
  'carriage\rreturn',
  'crlf\r\nend',
  '=HYPERLINK("http://evil.example";"click")',
  '+1',
  '-1',
  '@SUM(A1)',
  '\tTAB',
  '\rCR first',
  '\uFF1D full-width equals',
  '\uFF0B full-width plus',
  '\uFF0D full-width minus',
  '\uFF20 full-width at',
  "'already quoted",
  'Zoë Ångström 山田 😀',
  '{"email":"a@example.org","n":1}',
  ' leading space',
  'trailing space ',
];

describe('a CSV cell', () => {
  it.each(CELLS.map((cell) => [JSON.stringify(cell), cell]))('is what csv-stringify writes: %s', (_, cell) => {
    expect(csvCell(cell)).toBe(byLibrary([[cell]]).replace(/\n$/, ''));
  });
});

describe('the CSV export', () => {
  const event = (n: number, overrides: Partial<ExportedEvent> = {}): ExportedEvent => ({
    position: String(n).padStart(16, '0'),
    streamId: `invitation-${n}`,
    id: `event-${n}`,
    type: 'InvitationIssued',
    revision: n,
    occurredAt: '2026-12-03T02:00:00.000Z',
    metadataJson: '{}',
    envelope: { actorType: 'staff', actorId: 'staff-1', correlationId: 'c-1', deploymentId: 'd-1' },
    actorName: 'Ada, "the" admin',
    dataJson: `{"email":"patient${n}@example.org","note":"=1+1"}`,
    ...overrides,
  });
  const asRecord = (e: ExportedEvent) => [
    e.position,
    e.occurredAt,
    e.type,
    e.streamId,
    e.revision,
    e.id,
    e.envelope.deploymentId ?? '',
    e.envelope.actorType ?? '',
    e.envelope.actorId ?? '',
    e.actorName ?? '',
    e.envelope.correlationId ?? '',
    e.dataJson,
  ];

  it('is byte for byte what csv-stringify writes: the mark, the header, a row per event', async () => {
    const pages = [
      [event(1), event(2, { actorName: null, envelope: {} })],
      [],
      [event(3, { actorName: '=cmd|" /C calc"!A0', streamId: '-stream' })],
    ];
    const chunks: Buffer[] = [];
    for await (const chunk of csv(Readable.from(pages))) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(byLibrary(pages.flat().map(asRecord), true));
  });
});
