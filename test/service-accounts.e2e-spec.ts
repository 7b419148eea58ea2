import request from 'supertest';
import { describeWithPostgres } from '@app/sql/testing/test-databases';
import { ADMIN, bearer, createStaff, login, newDeployment, settled, TEST_ENV } from './support/identity';
import { invite } from './support/invitations';
import { wholeFeed } from './support/audit';
import { startTestApp, type TestApp } from './support/test-app';

interface Credentials {
  clientId: string;
  clientSecret: string;
}

async function serviceAccount(t: TestApp, admin: string, body: object): Promise<Credentials & { id: string }> {
  return (await request(t.server).post('/api/service-accounts').set(bearer(admin)).send(body).expect(201)).body;
}

function tokenRequest(t: TestApp, form: Record<string, string>) {
  return request(t.server).post('/api/oauth/token').type('form').send(form);
}

async function serviceToken(t: TestApp, { clientId, clientSecret }: Credentials, scope?: string): Promise<string> {
  const answer = await tokenRequest(t, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    ...(scope ? { scope } : {}),
  }).expect(200);
  return answer.body.access_token;
}

describe.each([
  ['sqlite' as const, describe],
  ['postgres' as const, describeWithPostgres],
])('service accounts on %s', (store, describeStore) => {
  describeStore(store, () => {
    let t: TestApp;
    let admin: string;
    let mine: string;
    let theirs: string;

    beforeAll(async () => {
      t = await startTestApp(TEST_ENV, store);
      admin = await login(t, ADMIN.email, ADMIN.password);
      mine = await newDeployment(t, admin, 'Mine');
      theirs = await newDeployment(t, admin, 'Theirs');
      await invite(t, admin, mine, ['mine-1@example.org'], '24h').expect(201);
      await invite(t, admin, theirs, ['theirs-1@example.org'], '24h').expect(201);
      await settled(t);
    });
    afterAll(async () => t?.close());

    it('exchanges client credentials for a token (RFC 6749 4.4), in the form or with HTTP Basic', async () => {
      const account = await serviceAccount(t, admin, { name: 'Warehouse', scopes: ['events:read'] });
      expect(account).toEqual(
        expect.objectContaining({ clientId: account.id, name: 'Warehouse', scopes: ['events:read'], status: 'active' }),
      );
      expect(account.clientSecret).toMatch(/^svcsec_[\w-]{43}$/);
      const token = await tokenRequest(t, {
        grant_type: 'client_credentials',
        client_id: account.clientId,
        client_secret: account.clientSecret,
      }).expect(200);
      expect(token.body).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 900,
        scope: 'events:read',
      });
      const basic = Buffer.from(`${account.clientId}:${account.clientSecret}`).toString('base64');
      await request(t.server)
        .post('/api/oauth/token')
        .set('Authorization', `Basic ${basic}`)
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .expect(200);
      const me = await request(t.server).get('/api/me').set(bearer(token.body.access_token)).expect(200);
      expect(me.body).toEqual(expect.objectContaining({ id: account.id, kind: 'service', scopes: ['events:read'] }));
    });

    it('refuses a wrong secret, another grant, a missing client and a scope beyond the account', async () => {
      const account = await serviceAccount(t, admin, { name: 'Refusals', scopes: ['events:read'] });
      const wrong = await tokenRequest(t, {
        grant_type: 'client_credentials',
        client_id: account.clientId,
        client_secret: `${account.clientSecret}x`,
      }).expect(401);
      expect(wrong.body).toEqual(expect.objectContaining({ code: 'invalid_client', error: 'invalid_client' }));
      const unknown = await tokenRequest(t, {
        grant_type: 'client_credentials',
        client_id: 'not-a-client',
        client_secret: account.clientSecret,
      }).expect(401);
      expect(unknown.body.code).toBe('invalid_client');
      const grant = await tokenRequest(t, { grant_type: 'password', username: 'a', password: 'b' }).expect(400);
      expect(grant.body).toEqual(
        expect.objectContaining({ code: 'unsupported_grant_type', error: 'unsupported_grant_type' }),
      );
      const missing = await tokenRequest(t, { grant_type: 'client_credentials', client_id: account.clientId }).expect(
        400,
      );
      expect(missing.body.error).toBe('invalid_request');
      const beyond = await tokenRequest(t, {
        grant_type: 'client_credentials',
        client_id: account.clientId,
        client_secret: account.clientSecret,
        scope: 'events:read invitations:write',
      }).expect(400);
      expect(beyond.body).toEqual(expect.objectContaining({ code: 'invalid_scope', error: 'invalid_scope' }));
    });

    it("organisation-wide, reads every deployment's events; reaches only the routes its scopes open, nothing for staff", async () => {
      const reader = await serviceToken(t, await serviceAccount(t, admin, { name: 'Reader', scopes: ['events:read'] }));
      const feed = JSON.stringify(await wholeFeed(t, reader));
      expect(feed).toContain('mine-1@example.org');
      expect(feed).toContain('theirs-1@example.org');
      const refused = await request(t.server)
        .get(`/api/deployments/${mine}/invitations`)
        .set(bearer(reader))
        .expect(403);
      expect(refused.body.code).toBe('forbidden');
      await request(t.server).get('/api/staff').set(bearer(reader)).expect(403);
      await request(t.server).get('/api/service-accounts').set(bearer(reader)).expect(403);
      await request(t.server)
        .post('/api/me/password')
        .set(bearer(reader))
        .send({ currentPassword: 'x', newPassword: 'y' })
        .expect(403);
    });

    it('holds only the scopes its token was granted, even when the account has more', async () => {
      const both = await serviceAccount(t, admin, { name: 'Both', scopes: ['events:read', 'invitations:read'] });
      const narrow = await serviceToken(t, both, 'invitations:read');
      await request(t.server).get(`/api/deployments/${mine}/invitations`).set(bearer(narrow)).expect(200);
      await request(t.server).get('/api/events?limit=1').set(bearer(narrow)).expect(403);
    });

    it('scoped to one deployment, sees nothing of another: 404 there, and none of its events', async () => {
      const account = await serviceAccount(t, admin, {
        name: 'Mine only',
        scopes: ['events:read', 'invitations:read', 'invitations:write'],
        deploymentIds: [mine],
      });
      const token = await serviceToken(t, account);
      await request(t.server).get(`/api/deployments/${mine}/invitations`).set(bearer(token)).expect(200);
      await request(t.server).get(`/api/deployments/${theirs}/invitations`).set(bearer(token)).expect(404);
      await invite(t, token, theirs, ['nope@example.org']).expect(404);
      const theirInvitation = (
        await request(t.server).get(`/api/deployments/${theirs}/invitations`).set(bearer(admin)).expect(200)
      ).body.items[0].id;
      await request(t.server).get(`/api/invitations/${theirInvitation}`).set(bearer(token)).expect(404);
      await request(t.server).get(`/api/events?deploymentId=${theirs}`).set(bearer(token)).expect(404);
      const events = await wholeFeed<{ metadata: { deploymentId?: string } }>(t, token);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.metadata.deploymentId === mine)).toBe(true);
      expect(JSON.stringify(events)).not.toContain('theirs-1@example.org');
    });

    it('is named as itself, by id and name, in the events it causes', async () => {
      const account = await serviceAccount(t, admin, {
        name: 'Inviter',
        scopes: ['invitations:write', 'invitations:read'],
      });
      const token = await serviceToken(t, account);
      const issued = await invite(t, token, mine, ['from-service@example.org']).expect(201);
      const id = issued.body.issued[0].id;
      await settled(t);
      const history = await request(t.server).get(`/api/invitations/${id}/history`).set(bearer(token)).expect(200);
      expect(history.body.events[0]).toEqual(
        expect.objectContaining({
          type: 'InvitationIssued',
          actor: { type: 'service', id: account.id, name: 'Inviter' },
        }),
      );
    });

    it('rotating the secret refuses the old secret and every token issued under it; revoking refuses all', async () => {
      const account = await serviceAccount(t, admin, { name: 'Rotated', scopes: ['events:read'] });
      const before = await serviceToken(t, account);
      const rotated = await request(t.server)
        .post(`/api/service-accounts/${account.id}/secret`)
        .set(bearer(admin))
        .expect(200);
      expect(rotated.body.clientSecret).not.toBe(account.clientSecret);
      await request(t.server).get('/api/events?limit=1').set(bearer(before)).expect(401);
      await tokenRequest(t, {
        grant_type: 'client_credentials',
        client_id: account.clientId,
        client_secret: account.clientSecret,
      }).expect(401);
      const after = await serviceToken(t, rotated.body);
      await request(t.server).get('/api/events?limit=1').set(bearer(after)).expect(200);

      await request(t.server).delete(`/api/service-accounts/${account.id}`).set(bearer(admin)).expect(204);
      await request(t.server).get('/api/events?limit=1').set(bearer(after)).expect(401);
      await tokenRequest(t, {
        grant_type: 'client_credentials',
        ...rotated.body,
        client_id: account.clientId,
        client_secret: rotated.body.clientSecret,
      }).expect(401);
      const again = await request(t.server)
        .delete(`/api/service-accounts/${account.id}`)
        .set(bearer(admin))
        .expect(409);
      expect(again.body.code).toBe('service_account_revoked');
      const list = await request(t.server).get('/api/service-accounts').set(bearer(admin)).expect(200);
      const listed = list.body.items.find((a: { id: string }) => a.id === account.id);
      expect(listed).toEqual(expect.objectContaining({ status: 'revoked', revokedAt: expect.any(String) }));
      expect(JSON.stringify(list.body)).not.toMatch(/svcsec_/);
    });

    it('is managed only through an organisation-wide role holding manage_service_accounts', async () => {
      const staff = await createStaff(t, admin, {
        email: 'ds@example.org',
        role: 'DeploymentStaff',
        deploymentIds: [mine],
      });
      const refused = await request(t.server)
        .post('/api/service-accounts')
        .set(bearer(staff))
        .send({ name: 'x', scopes: ['events:read'] })
        .expect(403);
      expect(refused.body.code).toBe('forbidden');
    });

    it('refuses bad input with a problem and writes nothing', async () => {
      const before = (await request(t.server).get('/api/service-accounts').set(bearer(admin)).expect(200)).body.items;
      for (const body of [
        { name: 'x', scopes: [] },
        { name: 'x', scopes: ['events:write'] },
        { name: '', scopes: ['events:read'] },
        { name: 'x', scopes: ['events:read'], deploymentIds: ['00000000-0000-4000-8000-000000000000'] },
      ]) {
        const answer = await request(t.server).post('/api/service-accounts').set(bearer(admin)).send(body);
        expect([answer.status, typeof answer.body.code]).toEqual([expect.any(Number), 'string']);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
      const after = (await request(t.server).get('/api/service-accounts').set(bearer(admin)).expect(200)).body.items;
      expect(after).toEqual(before);
      await request(t.server).post('/api/service-accounts/not-a-uuid/secret').set(bearer(admin)).expect(404);
      await request(t.server)
        .delete('/api/service-accounts/00000000-0000-4000-8000-000000000000')
        .set(bearer(admin))
        .expect(404);
    });
  });
});
