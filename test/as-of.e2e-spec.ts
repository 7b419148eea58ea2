import request from 'supertest';
import { EVENT_STORE, type EventStore, occurredAt, type RecordedEvent } from '@app/event-store';
import { findInvitation, listInvitations, rowView } from '@app/invitations/read-model/invitation-list.query';
import { InvitationListsProjection } from '@app/invitations/read-model/invitation-lists.projection';
import { invitationListsMigrations } from '@app/invitations/read-model/invitation-lists.schema';
import { MailDispatcher } from '@app/notifications';
import { migrate } from '@app/sql';
import { describeWithPostgres, temporarySqlite } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, login, newDeployment, settled, TEST_ENV } from './support/identity';
import { advance, invite, personalToken } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

const STATUS_SETS = ['pending', 'expired', 'redeemed', 'revoked', 'pending,expired,redeemed,revoked'];
const PAGE = 3;

/** A pseudo-random sequence with a fixed seed: the same instants on every run, spread over the whole history. */
function* seeded(seed: number): Generator<number> {
  for (;;) yield (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('answers as of an instant on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let ward: string;
    let ids: string[] = [];
    let start: number;
    let end: number;
    let log: RecordedEvent[];

    /** Processors and the mail sender done: nothing of this step lands later with an earlier time. */
    async function step(): Promise<void> {
      await settled(t);
      await t.app.get(MailDispatcher).drain();
      await settled(t);
    }

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      ward = await newDeployment(t, admin, 'As-of ward');
      start = Date.parse(await advance(t, 0));
      const day = (
        await invite(
          t,
          admin,
          ward,
          ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${x}@example.org`),
          '24h',
        ).expect(201)
      ).body.issued.map((i: { id: string }) => i.id);
      await step();
      await advance(t, 3600);
      const week = (
        await invite(
          t,
          admin,
          ward,
          ['g', 'h', 'i'].map((x) => `${x}@example.org`),
          '7d',
        ).expect(201)
      ).body.issued.map((i: { id: string }) => i.id);
      await step();
      await advance(t, 3600);
      await request(t.server).delete(`/api/invitations/${day[0]}`).set(bearer(admin)).expect(204);
      await request(t.server)
        .post(`/api/public/invitations/${await personalToken(t, day[1])}/accept`)
        .send({ password: 'patient passphrase 1' })
        .expect(201);
      await step();
      await advance(t, 3600);
      await request(t.server).post(`/api/invitations/${day[2]}/resend`).set(bearer(admin)).send({}).expect(200);
      await step();
      await advance(t, 25 * 3600);
      await request(t.server)
        .post(`/api/invitations/${day[3]}/resend`)
        .set(bearer(admin))
        .send({ expiresIn: '48h' })
        .expect(200);
      await request(t.server).delete(`/api/invitations/${week[0]}`).set(bearer(admin)).expect(204);
      await step();
      await advance(t, 3600);
      const late = (await invite(t, admin, ward, ['j@example.org', 'k@example.org'], '1y').expect(201)).body.issued.map(
        (i: { id: string }) => i.id,
      );
      await step();
      end = Date.parse(await advance(t, 60));
      ids = [...day, ...week, ...late];
      log = [];
      for await (const event of t.app.get<EventStore>(EVENT_STORE).readAll()) log.push(event);
    });
    afterAll(async () => t?.close());

    /** The list at T built the slow, sure way: every event that happened by T, through the live list's projection. */
    async function replayedUpTo(at: Date) {
      const replay = temporarySqlite();
      await migrate(replay.db, 'invitations', invitationListsMigrations);
      const events = log.filter((e) => Date.parse(occurredAt(e)) <= at.getTime());
      await replay.db.transaction((tx) => new InvitationListsProjection().handle(events, tx));
      return replay;
    }

    async function apiPages(status: string, asOf: string) {
      const items = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await request(t.server)
          .get(`/api/deployments/${ward}/invitations`)
          .query({ status, asOf, limit: PAGE, ...(cursor ? { cursor } : {}) })
          .set(bearer(admin))
          .expect(200);
        items.push(...res.body.items.map(({ issuedByName: _name, ...item }: Record<string, unknown>) => item));
        cursor = res.body.nextCursor;
      } while (cursor);
      return items;
    }

    it('shows the list and each invitation exactly as a replay of the log up to that instant, for many instants', async () => {
      const random = seeded(16);
      const instants = Array.from(
        { length: 24 },
        () => new Date(start - 3600_000 + random.next().value * (end - start + 3600_000)),
      );
      // And every instant at which something happened, where an error at a version's boundary would show.
      const happened = new Set(log.map((e) => Date.parse(occurredAt(e))).filter((ms) => ms >= start));
      instants.push(...[...happened].map((ms) => new Date(ms)));
      let compared = 0;
      for (const at of instants) {
        const asOf = at.toISOString();
        const replay = await replayedUpTo(at);
        try {
          for (const status of STATUS_SETS) {
            const expected = [];
            let cursor: string | undefined;
            do {
              const page = await listInvitations(replay.db, {
                deploymentId: ward,
                statuses: status.split(',') as never,
                limit: PAGE,
                cursor,
                now: at,
              });
              expected.push(...page.items);
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
            expect({ asOf, status, items: await apiPages(status, asOf) }).toEqual({ asOf, status, items: expected });
            compared += expected.length;
          }
          for (const id of ids) {
            const row = await findInvitation(replay.db, id);
            const res = await request(t.server).get(`/api/invitations/${id}`).query({ asOf }).set(bearer(admin));
            if (!row)
              expect({ asOf, id, status: res.status, code: res.body.code }).toEqual({
                asOf,
                id,
                status: 404,
                code: 'invitation_not_found',
              });
            else {
              const { issuedByName: _name, ...view } = res.body;
              expect({ asOf, view }).toEqual({ asOf, view: rowView(row, at) });
            }
          }
        } finally {
          await replay.drop();
        }
      }
      expect(compared).toBeGreaterThan(100);
    });

    it('answers today without asOf, and refuses an instant in the future or not an instant', async () => {
      const now = await request(t.server)
        .get(`/api/deployments/${ward}/invitations?status=pending,expired,redeemed,revoked&limit=50`)
        .set(bearer(admin))
        .expect(200);
      const same = await request(t.server)
        .get(`/api/deployments/${ward}/invitations?status=pending,expired,redeemed,revoked&limit=50`)
        .query({ asOf: new Date(end).toISOString() })
        .set(bearer(admin))
        .expect(200);
      expect(same.body).toEqual(now.body);
      const future = new Date(end + 1000).toISOString();
      for (const path of [`/api/deployments/${ward}/invitations`, `/api/invitations/${ids[0]}`]) {
        const refused = await request(t.server).get(path).query({ asOf: future }).set(bearer(admin)).expect(400);
        expect(refused.body).toMatchObject({ code: 'invalid_as_of', errors: [{ field: 'asOf' }] });
        const malformed = await request(t.server).get(path).query({ asOf: 'yesterday' }).set(bearer(admin)).expect(400);
        expect(malformed.body.code).toBe('validation_failed');
      }
    });
  });
});
