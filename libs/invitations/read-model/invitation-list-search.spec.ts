import { migrate, type SqlDatabase } from '@app/sql';
import { describeWithPostgres, temporaryPostgres, temporarySqlite } from '@app/sql/testing/test-databases';
import { listInvitations } from './invitation-list.query';
import { invitationListsMigrations } from './invitation-lists.schema';

const ODD = ['a_b%c@example.org', 'o"quote@example.org', 'x.y-z@sub.example.net'];

async function fill(db: SqlDatabase): Promise<string[]> {
  await migrate(db, 'invitations', invitationListsMigrations);
  const emails = [...Array.from({ length: 2600 }, (_, i) => `patient${i}@example.org`), ...ODD];
  await db.transaction(async (tx) => {
    for (const [i, email] of [...emails.map((e) => ['d1', e]), ['d2', 'patient7@example.org']].entries())
      await tx.execute(
        `INSERT INTO invitation_list (id, deployment_id, email, status, channel, link_id, issued_at, issued_by,
           expires_at, expires_in, send_count, last_sent_at, email_status)
         VALUES ($1, $2, $3, 'pending', 'email', NULL, $4, 'staff', '2031-01-01T00:00:00.000Z', '1y', 1, $4, 'sent')`,
        [`id-${String(i).padStart(5, '0')}`, email[0], email[1], new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString()],
      );
  });
  return emails;
}

/** Every page of a search, as the list answers it. */
async function search(db: SqlDatabase, q: string): Promise<string[]> {
  const found: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listInvitations(db, {
      deploymentId: 'd1',
      statuses: ['pending'],
      q,
      limit: 500,
      cursor,
      now: new Date('2030-06-01T00:00:00Z'),
    });
    found.push(...page.items.map((i) => i.email));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

describe.each([
  ['sqlite', describe, async () => temporarySqlite()],
  ['postgres', describeWithPostgres, temporaryPostgres],
] as const)('email search on %s', (_, describeStore, open) => {
  describeStore('finds exactly the addresses that contain the text, newest first', () => {
    let database: Awaited<ReturnType<typeof open>>;
    let emails: string[];

    beforeAll(async () => {
      database = await open();
      emails = await fill(database.db);
    });
    afterAll(() => database.drop());

    it.each([
      'patient12', // a few hundred: from the trigram index
      'patient2599@',
      'example', // more than 2,000: read in page order
      'PATIENT7',
      'pa', // too short for trigrams
      'a_b%',
      '_b',
      'b%c',
      '"quote',
      'sub.example.net',
      'nobody',
    ])('%s', async (q) => {
      const expected = emails.filter((e) => e.includes(q.toLowerCase())).reverse();
      expect(await search(database.db, q)).toEqual(expected);
    });

    it('forgets an address changed in the list (retention, erasure)', async () => {
      await database.db.execute("UPDATE invitation_list SET email = '[erased]' WHERE email = $1", [
        'patient2599@example.org',
      ]);
      expect(await search(database.db, 'patient2599@')).toEqual([]);
      expect(await search(database.db, 'erased')).toEqual(['[erased]']);
    });
  });
});

describeWithPostgres('the trigram index on PostgreSQL', () => {
  it('is made in a schema whose search path does not reach the schema pg_trgm was installed in', async () => {
    const first = await temporaryPostgres();
    const second = await temporaryPostgres();
    try {
      await migrate(first.db, 'invitations', invitationListsMigrations);
      await migrate(second.db, 'invitations', invitationListsMigrations);
      const [index] = await second.db.query<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'invitation_list_email_trigrams'",
      );
      expect(index.indexdef).toMatch(/USING gin \(email [a-z0-9_]+\.gin_trgm_ops\)/);
    } finally {
      await second.drop();
      await first.drop();
    }
  });
});
