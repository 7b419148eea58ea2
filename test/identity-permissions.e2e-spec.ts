import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { systemContext } from '@app/event-store';
import { PATIENT_ACCOUNTS, type PatientAccounts } from '@app/identity';
import { ADMIN, bearer, createStaff, login, settled, TEST_ENV } from './support/identity';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every default role, two custom roles and a patient, against every staff endpoint: API.md's order
 * is 401 without a valid token, 403 when the role lacks the permission, 404 outside the caller's
 * deployments, otherwise success.
 */
describe('permission matrix', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let d1: string;
  let d2: string;
  type Caller =
    | 'Admin'
    | 'AccessController'
    | 'OrganisationStaff'
    | 'DeploymentStaff'
    | 'Contributor'
    | 'CustomWith'
    | 'CustomWithout'
    | 'Patient';

  beforeAll(async () => {
    t = await startTestApp(TEST_ENV);
    tokens.Admin = await login(t, ADMIN.email, ADMIN.password);
    const admin = bearer(tokens.Admin);
    d1 = (await request(t.server).post('/api/deployments').set(admin).send({ name: 'D1' }).expect(201)).body.id;
    d2 = (await request(t.server).post('/api/deployments').set(admin).send({ name: 'D2' }).expect(201)).body.id;
    await request(t.server)
      .post('/api/roles')
      .set(admin)
      .send({ name: 'CustomWith', permissions: ['manage_patient_data'] })
      .expect(201);
    await request(t.server).post('/api/roles').set(admin).send({ name: 'CustomWithout', permissions: [] }).expect(201);
    for (const role of ['AccessController', 'OrganisationStaff'] as const) {
      tokens[role] = await createStaff(t, tokens.Admin, { email: `${role.toLowerCase()}@example.org`, role });
    }
    for (const role of ['DeploymentStaff', 'Contributor', 'CustomWith', 'CustomWithout'] as const) {
      tokens[role] = await createStaff(t, tokens.Admin, {
        email: `${role.toLowerCase()}@example.org`,
        role,
        deploymentIds: [d1],
      });
    }
    const patients = t.app.get<PatientAccounts>(PATIENT_ACCOUNTS);
    await patients.createFromInvitation(
      { invitationId: randomUUID(), deploymentId: d1, email: 'patient@example.org', password: 'patient passphrase 9' },
      systemContext(new Date()),
    );
    tokens.Patient = await login(t, 'patient@example.org', 'patient passphrase 9');
    await settled(t);
  });
  afterAll(async () => t?.close());

  const expected: [string, string, () => object | undefined, Record<Caller | 'none' | 'forged', number>][] = [
    [
      'GET',
      '/api/me',
      () => undefined,
      {
        none: 401,
        forged: 401,
        Admin: 200,
        AccessController: 200,
        OrganisationStaff: 200,
        DeploymentStaff: 200,
        Contributor: 200,
        CustomWith: 200,
        CustomWithout: 200,
        Patient: 200,
      },
    ],
    [
      'GET',
      '/api/deployments',
      () => undefined,
      {
        none: 401,
        forged: 401,
        Admin: 200,
        AccessController: 200,
        OrganisationStaff: 200,
        DeploymentStaff: 200,
        Contributor: 200,
        CustomWith: 200,
        CustomWithout: 200,
        Patient: 403,
      },
    ],
    [
      'GET',
      '/api/deployments/:d1',
      () => undefined,
      {
        none: 401,
        forged: 401,
        Admin: 200,
        AccessController: 200,
        OrganisationStaff: 200,
        DeploymentStaff: 200,
        Contributor: 200,
        CustomWith: 200,
        CustomWithout: 200,
        Patient: 403,
      },
    ],
    [
      'GET',
      '/api/deployments/:d2',
      () => undefined,
      {
        none: 401,
        forged: 401,
        Admin: 200,
        AccessController: 200,
        OrganisationStaff: 200,
        DeploymentStaff: 404,
        Contributor: 404,
        CustomWith: 404,
        CustomWithout: 404,
        Patient: 403,
      },
    ],
    [
      'GET',
      '/api/deployments/:unknown',
      () => undefined,
      {
        none: 401,
        forged: 401,
        Admin: 404,
        AccessController: 404,
        OrganisationStaff: 404,
        DeploymentStaff: 404,
        Contributor: 404,
        CustomWith: 404,
        CustomWithout: 404,
        Patient: 403,
      },
    ],
    [
      'POST',
      '/api/deployments',
      () => ({ name: `D-${randomUUID()}` }),
      {
        none: 401,
        forged: 401,
        Admin: 201,
        AccessController: 403,
        OrganisationStaff: 403,
        DeploymentStaff: 403,
        Contributor: 403,
        CustomWith: 403,
        CustomWithout: 403,
        Patient: 403,
      },
    ],
    [
      'POST',
      '/api/staff',
      () => ({
        email: `s-${randomUUID()}@example.org`,
        password: 'a sturdy passphrase 1',
        role: 'DeploymentStaff',
        deploymentIds: [d1],
      }),
      {
        none: 401,
        forged: 401,
        Admin: 201,
        AccessController: 201,
        OrganisationStaff: 403,
        DeploymentStaff: 403,
        Contributor: 403,
        CustomWith: 403,
        CustomWithout: 403,
        Patient: 403,
      },
    ],
    [
      'GET',
      '/api/roles',
      () => undefined,
      {
        none: 401,
        forged: 401,
        Admin: 200,
        AccessController: 200,
        OrganisationStaff: 403,
        DeploymentStaff: 403,
        Contributor: 403,
        CustomWith: 403,
        CustomWithout: 403,
        Patient: 403,
      },
    ],
    [
      'POST',
      '/api/roles',
      () => ({ name: `R-${randomUUID().slice(0, 8)}`, permissions: ['manage_patient_data'] }),
      {
        none: 401,
        forged: 401,
        Admin: 201,
        AccessController: 201,
        OrganisationStaff: 403,
        DeploymentStaff: 403,
        Contributor: 403,
        CustomWith: 403,
        CustomWithout: 403,
        Patient: 403,
      },
    ],
  ];

  const rows = expected.flatMap(([method, path, body, statuses]) =>
    Object.entries(statuses).map(([caller, status]) => [method, path, caller, status, body] as const),
  );

  it.each(rows)('%s %s as %s → %i', async (method, path, caller, status, body) => {
    const url = path.replace(':d1', d1).replace(':d2', d2).replace(':unknown', randomUUID());
    let call = method === 'GET' ? request(t.server).get(url) : request(t.server).post(url).send(body());
    if (caller === 'forged') call = call.set(bearer(`${tokens.Admin.slice(0, -4)}AAAA`));
    else if (caller !== 'none') call = call.set(bearer(tokens[caller]));
    const res = await call;
    expect({ status: res.status, code: res.body.code }).toEqual({
      status,
      code: status >= 400 ? expect.any(String) : undefined,
    });
    if (status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('lists exactly the deployments a caller may act in', async () => {
    const names = async (caller: Caller) =>
      (await request(t.server).get('/api/deployments').set(bearer(tokens[caller])).expect(200)).body.items.map(
        (d: { id: string }) => d.id,
      );
    expect(await names('OrganisationStaff')).toEqual(expect.arrayContaining([d1, d2]));
    expect(await names('DeploymentStaff')).toEqual([d1]);
    const me = await request(t.server).get('/api/me').set(bearer(tokens.Patient)).expect(200);
    expect(me.body).toMatchObject({ kind: 'patient', roles: ['Patient'], permissions: [], deploymentIds: [d1] });
  });

  it('never lets a caller grant more than it holds', async () => {
    const asAccessController = (body: object) =>
      request(t.server).post('/api/staff').set(bearer(tokens.AccessController)).send(body);
    const base = { password: 'a sturdy passphrase 1' };
    expect((await asAccessController({ ...base, email: 'x1@example.org', role: 'Admin' })).body).toMatchObject({
      status: 403,
      code: 'cannot_grant_role',
    });
    expect(
      (await asAccessController({ ...base, email: 'x2@example.org', role: 'DeploymentStaff' })).body,
    ).toMatchObject({ status: 400, code: 'invalid_deployment_scope' });
    expect(
      (await asAccessController({ ...base, email: 'x3@example.org', role: 'OrganisationStaff', deploymentIds: [d1] }))
        .body,
    ).toMatchObject({
      status: 400,
      code: 'invalid_deployment_scope',
    });
    expect(
      (
        await asAccessController({
          ...base,
          email: 'x4@example.org',
          role: 'DeploymentStaff',
          deploymentIds: [randomUUID()],
        })
      ).body,
    ).toMatchObject({
      status: 400,
      code: 'invalid_deployment_scope',
    });
    expect((await asAccessController({ ...base, email: 'x5@example.org', role: 'NoSuchRole' })).body).toMatchObject({
      status: 400,
      code: 'unknown_role',
    });
    const role = await request(t.server)
      .post('/api/roles')
      .set(bearer(tokens.AccessController))
      .send({ name: 'Auditor', permissions: ['view_audit_log'] });
    expect(role.body).toMatchObject({ status: 403, code: 'cannot_grant_role' });
  });

  it('refuses role names that exist or are built in', async () => {
    const admin = bearer(tokens.Admin);
    for (const name of ['customwith', 'admin', 'Patient']) {
      const res = await request(t.server).post('/api/roles').set(admin).send({ name, permissions: [] });
      expect(res.body).toMatchObject({ status: 409, code: 'role_exists' });
    }
    const bad = await request(t.server)
      .post('/api/roles')
      .set(admin)
      .send({ name: 'Bad', permissions: ['delete_everything'] });
    expect(bad.body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [expect.objectContaining({ field: 'permissions' })],
    });
    await settled(t);
    const roles = await request(t.server).get('/api/roles').set(admin).expect(200);
    expect(roles.body.items).toEqual(
      expect.arrayContaining([
        {
          name: 'Admin',
          permissions: [
            'manage_patient_data',
            'manage_staff',
            'view_audit_log',
            'manage_deployment',
            'erase_personal_data',
            'manage_service_accounts',
          ],
          builtIn: true,
          scope: 'organisation',
        },
        { name: 'Contributor', permissions: [], builtIn: true, scope: 'deployments' },
        { name: 'CustomWith', permissions: ['manage_patient_data'], builtIn: false, scope: 'deployments' },
      ]),
    );
  });
});
