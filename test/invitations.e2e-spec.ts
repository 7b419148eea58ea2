import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CLOCK, type ControllableClock } from '@app/clock';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, createStaff, login, settled, TEST_ENV } from './support/identity';
import { advance, eventsOf, invite, personalToken } from './support/invitations';
import { startTestApp, type TestApp } from './support/test-app';

const HOUR = 3600;

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('invitations on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let d1: string;
    let d2: string;
    let scoped: string;
    const email = () => `p-${randomUUID().slice(0, 8)}@example.org`;

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      d1 = (
        await request(t.server).post('/api/deployments').set(bearer(admin)).send({ name: 'Cardiology <b>' }).expect(201)
      ).body.id;
      d2 = (await request(t.server).post('/api/deployments').set(bearer(admin)).send({ name: 'D2' }).expect(201)).body
        .id;
      scoped = await createStaff(t, admin, {
        email: 'scoped@example.org',
        role: 'DeploymentStaff',
        deploymentIds: [d1],
      });
    });
    afterAll(async () => t?.close());

    describe('issuing', () => {
      it('issues one invitation per address and says why others were skipped', async () => {
        const [a, b] = [email(), email()];
        const res = await invite(t, admin, d1, [a, ` ${b.toUpperCase()} `, a], '48h').expect(201);
        expect(res.body.issued.map((i: { email: string }) => i.email)).toEqual([a, b]);
        expect(res.body.issued[0]).toMatchObject({
          deploymentId: d1,
          status: 'pending',
          channel: 'email',
          expiresIn: '48h',
          sendCount: 1,
          emailStatus: 'queued',
        });
        expect(Date.parse(res.body.issued[0].expiresAt) - Date.parse(res.body.issued[0].issuedAt)).toBe(
          48 * HOUR * 1000,
        );
        expect(res.body.skipped).toEqual([{ email: a, reason: 'duplicate_in_request' }]);
        const again = await invite(t, admin, d1, [a]).expect(201);
        expect(again.body).toEqual({ issued: [], skipped: [{ email: a, reason: 'already_pending' }] });
        await invite(t, admin, d2, [a])
          .expect(201)
          .expect((r) => expect(r.body.issued).toHaveLength(1));
      });

      it('refuses the whole request when any address is malformed, listing each by index', async () => {
        const good = email();
        const res = await invite(t, admin, d1, [good, 'nope', 42, 'a@b']).expect(400);
        expect(res.body).toMatchObject({
          code: 'invalid_emails',
          errors: [
            { index: 1, value: 'nope' },
            { index: 2, value: 42 },
            { index: 3, value: 'a@b' },
          ],
        });
        await settled(t);
        const list = await request(t.server)
          .get(`/api/deployments/${d1}/invitations?q=${good}`)
          .set(bearer(admin))
          .expect(200);
        expect(list.body.items).toEqual([]);
      });

      it.each([['12h'], [''], [null], [7]])('refuses expiresIn %j with invalid_expiry', async (expiresIn) => {
        const res = await invite(t, admin, d1, [email()], expiresIn).expect(400);
        expect(res.body.code).toBe('invalid_expiry');
      });

      it('refuses empty and oversized requests', async () => {
        await invite(t, admin, d1, []).expect(400);
        const many = Array.from({ length: 10_001 }, (_, i) => `x${i}@example.org`);
        expect((await invite(t, admin, d1, many)).body).toMatchObject({ status: 400, code: 'validation_failed' });
      });

      it('enrols a patient of one deployment in another through its invitation, with their own password', async () => {
        const a = email();
        const { body } = await invite(t, admin, d1, [a]).expect(201);
        const first = await request(t.server)
          .post(`/api/public/invitations/${await personalToken(t, body.issued[0].id)}/accept`)
          .send({ password: 'patient passphrase 1' })
          .expect(201);
        expect((await invite(t, admin, d1, [a]).expect(201)).body.skipped).toEqual([
          { email: a, reason: 'already_registered' },
        ]);
        // Not in d2 yet: an invitation is issued, and accepting it takes the account's password, not a new one.
        const second = await invite(t, admin, d2, [a]).expect(201);
        expect(second.body.skipped).toEqual([]);
        const token = await personalToken(t, second.body.issued[0].id);
        const wrong = await request(t.server)
          .post(`/api/public/invitations/${token}/accept`)
          .send({ password: 'a brand new passphrase 2' })
          .expect(401);
        expect(wrong.body.code).toBe('invalid_credentials');
        const joined = await request(t.server)
          .post(`/api/public/invitations/${token}/accept`)
          .send({ password: 'patient passphrase 1' })
          .expect(201);
        expect(joined.body.patientId).toBe(first.body.patientId);
        const me = await request(t.server)
          .get('/api/me')
          .set(bearer(await login(t, a, 'patient passphrase 1')));
        expect([...me.body.deploymentIds].sort()).toEqual([d1, d2].sort());
        expect((await invite(t, admin, d2, [a]).expect(201)).body.skipped).toEqual([
          { email: a, reason: 'already_registered' },
        ]);
        const enrolments = (await eventsOf(t, `patient-${first.body.patientId}`)).map((e) => e.type);
        expect(enrolments).toEqual(['PatientAccountCreated', 'PatientEnrolled']);
      });

      it('makes one invitation when ten requests invite one address at once', async () => {
        const a = email();
        const results = await Promise.all(Array.from({ length: 10 }, () => invite(t, admin, d1, [a])));
        expect(results.every((r) => r.status === 201)).toBe(true);
        const issued = results.flatMap((r) => r.body.issued);
        expect(issued).toHaveLength(1);
        expect(results.flatMap((r) => r.body.skipped)).toEqual(Array(9).fill({ email: a, reason: 'already_pending' }));
        await settled(t);
        const list = await request(t.server)
          .get(`/api/deployments/${d1}/invitations?q=${a}`)
          .set(bearer(admin))
          .expect(200);
        expect(list.body.items).toHaveLength(1);
      });
    });

    describe('reading', () => {
      it("counts a deployment's invitations per status, a pending one past its expiry as expired", async () => {
        const d = (
          await request(t.server).post('/api/deployments').set(bearer(admin)).send({ name: 'Counted' }).expect(201)
        ).body.id;
        const ids = (await invite(t, admin, d, [email(), email(), email()], '24h').expect(201)).body.issued.map(
          (i: { id: string }) => i.id,
        );
        await request(t.server).delete(`/api/invitations/${ids[0]}`).set(bearer(admin)).expect(204);
        await settled(t);
        const counts = () =>
          request(t.server)
            .get(`/api/deployments/${d}/invitations/counts`)
            .set(bearer(admin))
            .expect(200)
            .then((r) => r.body);
        expect(await counts()).toEqual({ pending: 2, expired: 0, redeemed: 0, revoked: 1 });
        t.app.get<ControllableClock>(CLOCK).advance(25 * HOUR);
        expect(await counts()).toEqual({ pending: 0, expired: 2, redeemed: 0, revoked: 1 });
        await request(t.server).get(`/api/deployments/${d2}/invitations/counts`).set(bearer(scoped)).expect(404);
      });

      it('lists newest first with cursor pagination, filters and search', async () => {
        const tag = randomUUID().slice(0, 6);
        const emails = Array.from({ length: 7 }, (_, i) => `list${i}-${tag}@example.org`);
        for (const e of emails) {
          await invite(t, admin, d1, [e]).expect(201);
          await advance(t, 1);
        }
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const res: request.Response = await request(t.server)
            .get(`/api/deployments/${d1}/invitations`)
            .query({ q: tag.toUpperCase(), limit: 3, ...(cursor ? { cursor } : {}) })
            .set(bearer(admin))
            .expect(200);
          seen.push(...res.body.items.map((i: { email: string }) => i.email));
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor);
        expect(pages).toBe(3);
        expect(seen).toEqual([...emails].reverse());
        const all = await request(t.server)
          .get(`/api/deployments/${d1}/invitations`)
          .query({ q: tag, limit: 500 })
          .set(bearer(admin))
          .expect(200);
        expect(all.body.nextCursor).toBeNull();
        expect(all.body.items).toHaveLength(7);
        const bad = await request(t.server)
          .get(`/api/deployments/${d1}/invitations?status=pending,lost`)
          .set(bearer(admin));
        expect(bad.body).toMatchObject({ status: 400, code: 'invalid_query' });
        const badCursor = await request(t.server)
          .get(`/api/deployments/${d1}/invitations?cursor=garbage`)
          .set(bearer(admin));
        expect(badCursor.body).toMatchObject({ status: 400, code: 'invalid_cursor' });
        const links = await request(t.server)
          .get(`/api/deployments/${d1}/invitations?channel=link&q=${tag}`)
          .set(bearer(admin))
          .expect(200);
        expect(links.body.items).toEqual([]);
      });

      it("answers 404 for invitations outside the caller's deployments", async () => {
        const { body } = await invite(t, admin, d2, [email()]).expect(201);
        await settled(t);
        const id = body.issued[0].id;
        await request(t.server).get(`/api/invitations/${id}`).set(bearer(admin)).expect(200);
        for (const path of [`/api/invitations/${id}`, `/api/invitations/${id}/history`]) {
          expect((await request(t.server).get(path).set(bearer(scoped))).body).toMatchObject({
            status: 404,
            code: 'invitation_not_found',
          });
        }
        expect(
          (await request(t.server).post(`/api/invitations/${id}/resend`).set(bearer(scoped)).send({})).status,
        ).toBe(404);
        expect((await request(t.server).delete(`/api/invitations/${id}`).set(bearer(scoped))).status).toBe(404);
        expect((await invite(t, scoped, d2, [email()])).status).toBe(404);
        expect((await request(t.server).get(`/api/invitations/${randomUUID()}`).set(bearer(admin))).status).toBe(404);
        expect((await request(t.server).get('/api/invitations/not-a-uuid').set(bearer(admin))).status).toBe(404);
      });

      it('reads the history from the stream, oldest first, with no token or nonce', async () => {
        const { body } = await invite(t, admin, d1, [email()]).expect(201);
        const id = body.issued[0].id;
        await request(t.server)
          .post(`/api/invitations/${id}/resend`)
          .set(bearer(admin))
          .send({ expiresIn: '24h' })
          .expect(200);
        await request(t.server).delete(`/api/invitations/${id}`).set(bearer(admin)).expect(204);
        const history = await request(t.server).get(`/api/invitations/${id}/history`).set(bearer(admin)).expect(200);
        // What became of each email is there too (see delivery-failures); here, the invitation's own stream.
        const own = history.body.events.filter((e: { stream: string }) => e.stream === `invitation-${id}`);
        expect(own.map((e: { type: string; revision: number }) => [e.type, e.revision])).toEqual([
          ['InvitationIssued', 0],
          ['InvitationResent', 1],
          ['InvitationRevoked', 2],
        ]);
        expect(history.body.events[0]).toMatchObject({
          actor: { type: 'staff' },
          data: { invitationId: id, deploymentId: d1 },
        });
        expect(JSON.stringify(history.body)).not.toMatch(/nonce/);
      });
    });

    describe('patients redeeming a personal link', () => {
      it('shows the invitation without changing it, then creates the account once', async () => {
        const a = email();
        const { body } = await invite(t, admin, d1, [a]).expect(201);
        const token = await personalToken(t, body.issued[0].id);
        const peek = await request(t.server).get(`/api/public/invitations/${token}`).expect(200);
        expect(peek.body).toEqual({
          status: 'pending',
          deploymentName: 'Cardiology <b>',
          language: 'en',
          timeZone: 'UTC',
          email: a,
          expiresAt: body.issued[0].expiresAt,
        });
        expect(await eventsOf(t, `invitation-${body.issued[0].id}`)).toHaveLength(1);
        const weak = await request(t.server)
          .post(`/api/public/invitations/${token}/accept`)
          .send({ password: 'password12' });
        expect(weak.body).toMatchObject({ status: 400, code: 'weak_password' });
        const accepted = await request(t.server)
          .post(`/api/public/invitations/${token}/accept`)
          .send({ password: 'patient passphrase 1', displayName: 'Pat' })
          .expect(201);
        expect(accepted.body).toEqual({ patientId: expect.any(String), accessToken: expect.any(String) });
        const me = await request(t.server).get('/api/me').set(bearer(accepted.body.accessToken)).expect(200);
        expect(me.body).toMatchObject({ id: accepted.body.patientId, kind: 'patient', email: a, deploymentIds: [d1] });
        expect((await request(t.server).get(`/api/public/invitations/${token}`)).body).toMatchObject({
          status: 410,
          code: 'invitation_already_redeemed',
        });
        expect(
          (
            await request(t.server)
              .post(`/api/public/invitations/${token}/accept`)
              .send({ password: 'patient passphrase 1' })
          ).body,
        ).toMatchObject({
          status: 410,
          code: 'invitation_already_redeemed',
        });
        const id = body.issued[0].id;
        expect(
          (await request(t.server).post(`/api/invitations/${id}/resend`).set(bearer(admin)).send({})).body,
        ).toMatchObject({ status: 409, code: 'invitation_not_resendable' });
        expect((await request(t.server).delete(`/api/invitations/${id}`).set(bearer(admin))).body).toMatchObject({
          status: 409,
          code: 'invitation_already_redeemed',
        });
      });

      it('gives exactly one of 20 concurrent accepts a 201 and makes one account', async () => {
        const a = email();
        const { body } = await invite(t, admin, d1, [a]).expect(201);
        const token = await personalToken(t, body.issued[0].id);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            request(t.server)
              .post(`/api/public/invitations/${token}/accept`)
              .send({ password: `patient passphrase ${i}` }),
          ),
        );
        const created = results.filter((r) => r.status === 201);
        expect(created).toHaveLength(1);
        for (const r of results.filter((r) => r.status !== 201))
          expect(r.body).toMatchObject({ status: 410, code: 'invitation_already_redeemed' });
        const winner = results.indexOf(created[0]);
        await login(t, a, `patient passphrase ${winner}`);
        const accounts = (await eventsOf(t, `patient-${created[0].body.patientId}`)).filter(
          (e) => e.type === 'PatientAccountCreated',
        );
        expect(accounts).toHaveLength(1);
      });

      it('answers forged, deleted and superseded links distinctly', async () => {
        const { body } = await invite(t, admin, d1, [email()]).expect(201);
        const id = body.issued[0].id;
        const first = await personalToken(t, id);
        for (const forged of [`${first.slice(0, -3)}AAA`, 'garbage', `k0.${id.replace(/-/g, '')}.${'A'.repeat(43)}`]) {
          expect((await request(t.server).get(`/api/public/invitations/${forged}`)).body).toMatchObject({
            status: 404,
            code: 'invalid_token',
          });
        }
        const resent = await request(t.server)
          .post(`/api/invitations/${id}/resend`)
          .set(bearer(admin))
          .send({})
          .expect(200);
        expect(resent.body).toMatchObject({ id, status: 'pending', sendCount: 2, expiresIn: '7d' });
        expect((await request(t.server).get(`/api/public/invitations/${first}`)).body).toMatchObject({
          status: 410,
          code: 'invitation_superseded',
        });
        const second = await personalToken(t, id);
        await request(t.server).get(`/api/public/invitations/${second}`).expect(200);
        await request(t.server).delete(`/api/invitations/${id}`).set(bearer(admin)).expect(204);
        await request(t.server).delete(`/api/invitations/${id}`).set(bearer(admin)).expect(204);
        expect((await request(t.server).get(`/api/public/invitations/${second}`)).body).toMatchObject({
          status: 410,
          code: 'invitation_revoked',
        });
        expect((await request(t.server).get(`/api/public/invitations/${first}`)).body).toMatchObject({
          status: 410,
          code: 'invitation_revoked',
        });
        expect(
          (
            await request(t.server)
              .post(`/api/public/invitations/${second}/accept`)
              .send({ password: 'patient passphrase 1' })
          ).status,
        ).toBe(410);
      });

      it("frees a deleted invitation's address for a new invitation", async () => {
        const a = email();
        const first = (await invite(t, admin, d1, [a]).expect(201)).body.issued[0].id;
        await request(t.server).delete(`/api/invitations/${first}`).set(bearer(admin)).expect(204);
        const again = await invite(t, admin, d1, [a]).expect(201);
        expect(again.body.issued).toHaveLength(1);
        expect(again.body.issued[0].id).not.toBe(first);
      });
    });
  });
});
