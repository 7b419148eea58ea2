import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import {
  api,
  choose,
  expectAccessible,
  lastEmailTo,
  newDeployment,
  openPortal,
  openUserMenu,
  paste,
  settle,
  tokenFor,
} from './support';

// The README's pictures are refreshed with README_SCREENSHOTS=1; other runs keep theirs in test-results/, so a
// test run leaves the tree clean.
/** Addresses unique to this run, so a test can run again against the same server. */
const RUN = Date.now().toString(36);

const SCREENSHOTS = join(
  __dirname,
  '..',
  '..',
  process.env.README_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots',
);

test('signs in, stays signed in across a reload, and after the session ends comes back to the same deployment', async ({
  page,
  request,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Session ward');
  const email = `session-${RUN}@example.org`;
  const password = 'a sturdy passphrase 1';
  const { id } = await api<{ id: string }>(request, token, 'POST', '/api/staff', {
    email,
    password,
    role: 'OrganisationStaff',
  });
  await page.goto(`/?deployment=${deployment}`);
  await expect(page.getByRole('heading', { name: 'Care Portal' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The email address or the password is wrong.');
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('combobox', { name: 'Deployment' })).toHaveValue('Session ward');
  // The access token lives in memory only: a reload renews the session from the HttpOnly cookie.
  expect(await page.evaluate(() => JSON.stringify(sessionStorage) + document.cookie)).toBe('{}');
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Deployment' })).toHaveValue('Session ward');
  // Deactivated: the next call is refused, renewing fails, sign-in appears over the same page.
  await api(request, token, 'POST', `/api/staff/${id}/deactivate`);
  await page.getByRole('textbox', { name: 'Email' }).fill('someone');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('Your session ended')).toBeVisible();
  expect(new URL(page.url()).searchParams.get('deployment')).toBe(deployment);
  await api(request, token, 'POST', `/api/staff/${id}/reactivate`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('combobox', { name: 'Deployment' })).toHaveValue('Session ward');
  // Signing out ends the session for good: a reload shows sign-in.
  await openUserMenu(page, email);
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test('shows Invite Patients and Get Link only to staff who may manage patient data there', async ({
  page,
  request,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Contributor ward');
  await api(request, token, 'POST', '/api/staff', {
    email: 'contributor@example.org',
    password: 'a sturdy passphrase 1',
    role: 'Contributor',
    deploymentIds: [deployment],
  });
  await tokenFor(page.context().request, 'contributor@example.org', 'a sturdy passphrase 1');
  await page.goto(`/?deployment=${deployment}`);
  await expect(page.getByText('Your role does not include managing patient data in Contributor ward.')).toBeVisible();
  await openUserMenu(page, 'contributor@example.org');
  await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Invite Patients' })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: 'Get Link' })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expectAccessible(page);
});

test('pictures for the README: the invite dialog, the pending list, the patient page', async ({
  page,
  request,
  browser,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Cardiology');
  const emails = [
    'ada.lovelace@example.org',
    'grace.hopper@example.org',
    'alan.turing@example.org',
    'katherine.johnson@example.org',
  ];
  await api(request, token, 'POST', `/api/deployments/${deployment}/invitations`, { emails, expiresIn: '7d' });
  await settle(request);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPortal(page, deployment);
  await expect(page.getByRole('row', { name: /ada.lovelace/ })).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'pending-list.png') });
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Invite Patients' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite Patients' });
  await paste(
    page,
    dialog.getByLabel('Email addresses'),
    'mary.jackson@example.org, dorothy.vaughan@example.org; not-an-address, edsger.dijkstra@example.org',
  );
  await expect(dialog.getByText('3 ready')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'invite-dialog.png') });
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 780 } })).newPage();
  const { messages } = await (await request.get('/api/dev/outbox?to=ada.lovelace@example.org')).json();
  const link = new URL(/https?:\/\/\S+\/invite\/\S+/.exec(messages[0].text)![0]).pathname;
  await phone.goto(link);
  await expect(phone.getByRole('heading', { name: /Cardiology invites you/ })).toBeVisible();
  await phone.getByLabel('Choose a password').fill('harbour');
  await phone.screenshot({ path: join(SCREENSHOTS, 'patient-invite.png') });
});

test('changes the password from the profile menu: the current one required, the new one signs in', async ({
  page,
  request,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Password ward');
  const email = `changer-${RUN}@example.org`;
  await api(request, token, 'POST', '/api/staff', {
    email,
    password: 'a sturdy passphrase 1',
    role: 'OrganisationStaff',
  });
  await openPortal(page, deployment, email, 'a sturdy passphrase 1');
  await openUserMenu(page, email);
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change password' });
  await dialog.getByLabel('Current password').fill('not the one');
  await dialog.getByLabel('New password').fill('a brand new passphrase 7');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The current password is not right.');
  await dialog.getByLabel('Current password').fill('a sturdy passphrase 1');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('status')).toContainText('Your password is changed');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Done' }).click();
  // This session goes on with the new token.
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
  await openUserMenu(page, email);
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill('a brand new passphrase 7');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('combobox', { name: 'Deployment' })).toHaveValue('Password ward');
});

test('the Staff page: find a member, change their role, switch them off and on', async ({ page, request }) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Staff ward');
  await api(request, token, 'POST', '/api/staff', {
    email: 'nina@example.org',
    name: 'Nina Nightingale',
    password: 'a sturdy passphrase 1',
    role: 'DeploymentStaff',
    deploymentIds: [deployment],
  });
  await settle(request);
  await openPortal(page, deployment);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Staff' }).click();
  await expect(page.getByRole('heading', { name: 'Staff' })).toBeVisible();
  await page.getByLabel('Name or email').fill('nightingale');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row', { name: /Nina Nightingale/ });
  await expect(row).toContainText('DeploymentStaff');
  await expect(row).toContainText('Staff ward');
  await expect(row).toContainText('Active');
  await expectAccessible(page);

  await row.getByRole('button', { name: 'Actions for nina@example.org' }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit nina@example.org' });
  await choose(page, 'Role', 'Contributor');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText('Contributor');

  await row.getByRole('button', { name: 'Actions for nina@example.org' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await expect(row).toContainText('Deactivated');
  const refused = await request.post('/api/auth/login', {
    data: { email: 'nina@example.org', password: 'a sturdy passphrase 1' },
  });
  expect(refused.status()).toBe(401);
  await row.getByRole('button', { name: 'Actions for nina@example.org' }).click();
  await page.getByRole('menuitem', { name: 'Reactivate' }).click();
  await expect(row).toContainText('Active');
  // The choice of page is in the address: a reload stays on Staff.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Staff' })).toBeVisible();
});

test('a forgotten password: asked for from sign-in, set through the emailed link, used once', async ({
  page,
  request,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Reset ward');
  const email = `forgetful-${RUN}@example.org`;
  await api(request, token, 'POST', '/api/staff', {
    email,
    password: 'a sturdy passphrase 1',
    role: 'OrganisationStaff',
  });
  await page.goto(`/?deployment=${deployment}`);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await page.getByLabel('Your email address').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();
  await settle(request);
  const mail = await lastEmailTo(request, email);
  const link = /http:\/\/\S+\/reset-password\/\S+/.exec(mail.text)![0];
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole('heading', { name: 'Set a new password' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/reset-password');
  await expectAccessible(page);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('alert')).toContainText('at least 10 characters');
  await page.getByLabel('New password', { exact: true }).fill('a remembered passphrase 4');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password is set' })).toBeVisible();
  await page.goto(new URL(link).pathname);
  await page.getByLabel('New password', { exact: true }).fill('another passphrase 5');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await tokenFor(request, email, 'a remembered passphrase 4');
});

test('invites a member of staff from the Staff page; they choose their password from the email', async ({
  page,
  request,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Invite ward');
  await openPortal(page, deployment);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Staff' }).click();
  await page.getByRole('button', { name: 'Invite staff' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite staff' });
  await dialog.getByRole('textbox', { name: 'Email' }).fill('newcomer@example.org');
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Nico Newcomer');
  await choose(page, 'Role', 'DeploymentStaff');
  await dialog.getByRole('combobox', { name: 'Deployments' }).click({ force: true });
  await page.getByRole('option', { name: 'Invite ward' }).click();
  await page.keyboard.press('Escape');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog.getByRole('status')).toContainText('Invitation sent to newcomer@example.org');

  const mail = await lastEmailTo(request, 'newcomer@example.org');
  const link = /http:\/\/\S+\/staff-invite\/\S+/.exec(mail.text)![0];
  // Whoever opens the email: a browser of their own, with nobody signed in.
  const inviteeContext = await page.context().browser()!.newContext();
  const invitee = await inviteeContext.newPage();
  await invitee.goto(new URL(new URL(link).pathname, page.url()).toString());
  await expect(invitee.getByRole('heading', { name: 'Join the Care Portal' })).toBeVisible();
  await expect(invitee.getByLabel('Your name')).toHaveValue('Nico Newcomer');
  await expectAccessible(invitee);
  await invitee.getByLabel('Choose a password').fill('my chosen passphrase 8');
  await invitee.getByRole('button', { name: 'Create my account' }).click();
  await expect(invitee.getByRole('heading', { name: 'Your account is ready' })).toBeVisible();
  await inviteeContext.close();
  await tokenFor(request, 'newcomer@example.org', 'my chosen passphrase 8');
});
