import request from 'supertest';
import { ADMIN, bearer, firstDeployment, login, settled, TEST_ENV } from './support/identity';
import { advance, invite } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

const utf16 = (text: string, bigEndian = false) => {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), bigEndian ? le.swap16() : le]);
};

/** The same three addresses as spreadsheets and EHR systems export them. */
const SHAPES: [string, Buffer | string, number[]][] = [
  ['plain LF, no header', 'a@example.org\nb@example.org\nc@example.org\n', [1, 2, 3]],
  [
    'Excel "CSV UTF-8": BOM, CRLF, header',
    '\uFEFFEmail,Name\r\na@example.org,Ann\r\nb@example.org,Bob\r\nc@example.org,Cy\r\n',
    [2, 3, 4],
  ],
  ['classic Mac CR line ends', 'email address\ra@example.org\rb@example.org\rc@example.org', [2, 3, 4]],
  [
    'quoted fields with commas and escaped quotes',
    'Email,Note\n"a@example.org","Smith, Ann"\n"b@example.org","says ""hi"""\nc@example.org,plain\n',
    [2, 3, 4],
  ],
  [
    'semicolons (European Excel)',
    'E-mail;Vorname\na@example.org;Anna\nb@example.org;Bernd\nc@example.org;Carl\n',
    [2, 3, 4],
  ],
  [
    'tabs (Numbers, Google Sheets TSV)',
    'Email\tName\na@example.org\tAnn\nb@example.org\tBob\nc@example.org\tCy\n',
    [2, 3, 4],
  ],
  [
    'blank lines and surrounding spaces',
    '\nEmail\n\n  a@example.org  \n\n b@example.org,x \n\t\nc@example.org\n\n',
    [4, 6, 8],
  ],
  [
    'UTF-16 LE with BOM (Excel "Unicode Text")',
    utf16('Email\tName\r\na@example.org\tAnn\r\nb@example.org\tBob\r\nc@example.org\tCy\r\n'),
    [2, 3, 4],
  ],
  ['UTF-16 BE with BOM', utf16('Email\na@example.org\nb@example.org\nc@example.org\n', true), [2, 3, 4]],
  ['upper-case addresses', 'EMAIL\nA@EXAMPLE.ORG\nB@Example.org\nc@example.ORG\n', [2, 3, 4]],
];

describe('CSV preview', () => {
  let t: TestApp;
  let admin: string;
  let deployment: string;
  const preview = (body: Buffer | string, type = 'text/csv') =>
    request(t.server)
      .post(`/api/deployments/${deployment}/invitations/csv-preview`)
      .set(bearer(admin))
      .set('Content-Type', type)
      .send(body);
  const upload = (body: Buffer | string, field = 'file') =>
    request(t.server)
      .post(`/api/deployments/${deployment}/invitations/csv-preview`)
      .set(bearer(admin))
      .attach(field, Buffer.from(body), 'export.csv');

  beforeAll(async () => {
    t = await startTestApp({ ...TEST_ENV, CSV_MAX_BYTES: String(1024 * 1024), CSV_MAX_ROWS: '1000' });
    admin = await login(t, ADMIN.email, ADMIN.password);
    deployment = await firstDeployment(t, admin);
  });
  afterAll(async () => t?.close());

  it.each(SHAPES)('reads %s, as text/csv and as a multipart upload', async (_, body, lines) => {
    for (const res of [await preview(body), await upload(body)]) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        emails: ['a@example.org', 'b@example.org', 'c@example.org'],
        invalid: [],
        duplicates: [],
        total: 3,
      });
      expect(res.body.lines.map((l: { line: number }) => l.line)).toEqual(lines);
    }
  });

  it("classifies every line, with the file's own line numbers, and sends nothing", async () => {
    await invite(t, admin, deployment, ['pending@example.org']).expect(201);
    const redeemedId = (await invite(t, admin, deployment, ['patient@example.org']).expect(201)).body.issued[0].id;
    const { personalToken } = await import('./support/invitations');
    await request(t.server)
      .post(`/api/public/invitations/${await personalToken(t, redeemedId)}/accept`)
      .send({ password: 'patient passphrase 1' })
      .expect(201);
    await settled(t);
    const file = [
      'Email',
      'new@example.org',
      '',
      'not-an-address',
      'NEW@example.org',
      'pending@example.org',
      'patient@example.org',
      ',only a name',
      '"a@b"',
    ].join('\r\n');
    const res = await preview(file).expect(200);
    expect(res.body).toEqual({
      emails: ['new@example.org', 'pending@example.org', 'patient@example.org'],
      invalid: [
        { line: 4, value: 'not-an-address', reason: expect.any(String) },
        { line: 8, value: '', reason: 'no address' },
        { line: 9, value: 'a@b', reason: expect.any(String) },
      ],
      duplicates: [{ line: 5, value: 'NEW@example.org' }],
      total: 7,
      header: { line: 1, value: 'Email' },
      lines: [
        { line: 2, value: 'new@example.org', status: 'ready' },
        { line: 4, value: 'not-an-address', status: 'invalid', reason: expect.any(String) },
        { line: 5, value: 'NEW@example.org', status: 'duplicate', reason: 'repeats line 2' },
        { line: 6, value: 'pending@example.org', status: 'already_pending', reason: expect.any(String) },
        { line: 7, value: 'patient@example.org', status: 'already_registered', reason: expect.any(String) },
        { line: 8, value: '', status: 'invalid', reason: 'no address' },
        { line: 9, value: 'a@b', status: 'invalid', reason: expect.any(String) },
      ],
    });
    await advance(t, 0);
    const outbox = await request(t.server).get('/api/dev/outbox?to=new@example.org').expect(200);
    expect(outbox.body.messages).toEqual([]);
  });

  it('answers an empty file and a header-only file with nothing to invite', async () => {
    expect((await preview('')).body).toMatchObject({ emails: [], total: 0, header: null });
    expect((await preview('Email\r\n')).body).toMatchObject({
      emails: [],
      total: 0,
      header: { line: 1, value: 'Email' },
    });
  });

  it.each([
    [
      'binary data (an .xlsx)',
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]),
      'binary',
    ],
    [
      'bytes that are not UTF-8 (Latin-1)',
      Buffer.from([
        0x45, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0x6d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x40, 0x78, 0x2e, 0x64, 0x65,
      ]),
      'not UTF-8',
    ],
    ['an unclosed quote', 'Email\n"a@example.org\nb@example.org\n', 'line'],
  ])('refuses %s with 400 invalid_csv and a reason', async (_, body, reason) => {
    const res = await preview(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_csv', detail: expect.stringContaining(reason) });
  });

  it('refuses files over the size limit with 413, streamed or declared', async () => {
    const big = 'someone@example.org\n'.repeat(60_000);
    const res = await preview(big);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'file_too_large' });
    expect((await upload(big)).body).toMatchObject({ status: 413, code: 'file_too_large' });
  });

  it('refuses more rows than allowed, other content types and a form without "file"', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => `r${i}@example.org`).join('\n');
    expect((await preview(many)).body).toMatchObject({ status: 400, code: 'too_many_rows' });
    expect((await preview('{"emails":[]}', 'application/json')).body).toMatchObject({
      status: 415,
      code: 'unsupported_media_type',
    });
    expect((await upload('a@example.org', 'other')).body).toMatchObject({ status: 400, code: 'invalid_csv' });
  });

  it('needs the permission and the deployment like every invitation endpoint', async () => {
    await request(t.server)
      .post(`/api/deployments/${deployment}/invitations/csv-preview`)
      .set('Content-Type', 'text/csv')
      .send('a@example.org')
      .expect(401);
    const res = await request(t.server)
      .post('/api/deployments/00000000-0000-4000-8000-000000000000/invitations/csv-preview')
      .set(bearer(admin))
      .set('Content-Type', 'text/csv')
      .send('a@example.org');
    expect(res.status).toBe(404);
  });
});

describe('CSV preview for patients of another deployment', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('marks a patient of this deployment as already here, and one from elsewhere as ready to join', async () => {
    t = await startTestApp(TEST_ENV);
    const admin = await login(t, ADMIN.email, ADMIN.password);
    const here = await firstDeployment(t, admin);
    const other = (await request(t.server).post('/api/deployments').set(bearer(admin)).send({ name: 'Other' })).body.id;
    const { personalToken } = await import('./support/invitations');
    for (const [deploymentId, address] of [
      [here, 'here@example.org'],
      [other, 'elsewhere@example.org'],
    ]) {
      const id = (await invite(t, admin, deploymentId, [address]).expect(201)).body.issued[0].id;
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, id)}/accept`)
        .send({ password: 'patient passphrase 1' })
        .expect(201);
    }
    const res = await request(t.server)
      .post(`/api/deployments/${here}/invitations/csv-preview`)
      .set(bearer(admin))
      .set('Content-Type', 'text/csv')
      .send('here@example.org\nelsewhere@example.org\n')
      .expect(200);
    expect(res.body.lines).toEqual([
      { line: 1, value: 'here@example.org', status: 'already_registered', reason: expect.any(String) },
      {
        line: 2,
        value: 'elsewhere@example.org',
        status: 'ready',
        reason: expect.stringContaining('another deployment'),
      },
    ]);
  });
});
