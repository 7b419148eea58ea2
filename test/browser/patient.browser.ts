import { expect, test } from '@playwright/test';
import {
  api,
  choose,
  expectAccessible,
  lastEmailTo,
  linkIn,
  newDeployment,
  openPortal,
  openUserMenu,
  settle,
  tokenFor,
} from './support';

test('Get Link → sign up through it → the emailed link → an account, shown as redeemed', async ({
  page,
  request,
  browser,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Link ward');
  await openPortal(page, deployment);
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Get Link' }).click();
  const dialog = page.getByRole('dialog', { name: 'Get Link' });
  await choose(dialog, 'Link expires in', '48 hours');
  await dialog.getByRole('button', { name: 'Copy link' }).click();
  await expect(dialog.getByText('Link copied')).toBeVisible();
  const shareable = new URL((await dialog.getByTestId('copied-link').textContent())!).pathname;
  await expect(dialog.getByRole('table', { name: 'Sign-up links of this deployment' }).getByRole('row')).toHaveCount(2);
  await expectAccessible(page);

  const patient = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await patient.newPage();
  const requests: string[] = [];
  phone.on('request', (r) => requests.push(r.url()));
  await phone.goto(shareable);
  await expect(phone.getByRole('heading', { name: 'Join Link ward' })).toBeVisible();
  expect(new URL(phone.url()).pathname).toBe('/join');
  await expectAccessible(phone);
  await phone.getByLabel('Your email address').fill('via-link@example.org');
  await phone.getByRole('button', { name: 'Send me my link' }).click();
  await expect(phone.getByRole('heading', { name: 'Check your inbox' })).toBeVisible();

  const email = await lastEmailTo(request, 'via-link@example.org');
  await phone.goto(linkIn(email.text, 'invite'));
  await expect(phone.getByRole('heading', { name: 'Link ward invites you to the patient app' })).toBeVisible();
  expect(new URL(phone.url()).pathname).toBe('/invite');
  await expectAccessible(phone);
  await phone.getByLabel('Choose a password').fill('short');
  await expect(phone.getByText('At least 10 characters (5 so far)')).toBeVisible();
  await expect(phone.getByRole('button', { name: 'Create account' })).toBeDisabled();
  await phone.getByLabel('Choose a password').fill('password12');
  await phone.getByRole('button', { name: 'Create account' }).click();
  await expect(phone.getByText('This password is too common.', { exact: false })).toBeVisible();
  await phone.getByLabel('Choose a password').fill('a quiet harbour at dawn');
  await phone.getByRole('button', { name: 'Create account' }).click();
  await expect(phone.getByRole('heading', { name: 'Your account is ready' })).toBeVisible();
  await expectAccessible(phone);
  // No third-party request: everything the patient pages load comes from the service itself.
  expect(requests.filter((url) => !url.startsWith(new URL(page.url()).origin))).toEqual([]);
  await patient.close();

  await settle(request);
  await page.getByRole('dialog', { name: 'Get Link' }).getByRole('button', { name: 'Close' }).click();
  await choose(page, 'Patient type', 'All patient invitations');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.getByRole('row', { name: /via-link@example.org/ });
  await expect(row.getByText('redeemed')).toBeVisible();
});

test('a re-sent invitation supersedes its old link, and a deleted one says so', async ({ page, request, browser }) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Resend ward');
  await api(request, token, 'POST', `/api/deployments/${deployment}/invitations`, {
    emails: ['resend-me@example.org'],
    expiresIn: '7d',
  });
  const first = linkIn((await lastEmailTo(request, 'resend-me@example.org')).text, 'invite');
  await openPortal(page, deployment);
  const row = page.getByRole('row', { name: /resend-me@example.org/ });
  await row.getByRole('button', { name: 'Actions for resend-me@example.org' }).click();
  await page.getByRole('menuitem', { name: 'Re-send invitation' }).click();
  const resend = page.getByRole('dialog', { name: 'Re-send invitation' });
  await expectAccessible(page);
  await resend.getByRole('button', { name: 'Re-send' }).click();
  await expect(resend).toBeHidden();
  await settle(request);

  const patient = await browser.newContext();
  const phone = await patient.newPage();
  await phone.goto(first);
  await expect(phone.getByRole('heading', { name: 'A newer invitation was sent to you' })).toBeVisible();
  await expectAccessible(phone);
  const second = linkIn((await lastEmailTo(request, 'resend-me@example.org')).text, 'invite');
  expect(second).not.toBe(first);

  await page.reload();
  await row.getByRole('button', { name: 'Actions for resend-me@example.org' }).click();
  await page.getByRole('menuitem', { name: 'History' }).click();
  await expect(
    page.getByRole('dialog', { name: 'History of resend-me@example.org' }).getByText('Re-sent with a new link'),
  ).toBeVisible();
  await page
    .getByRole('dialog', { name: 'History of resend-me@example.org' })
    .getByRole('button', { name: 'Close' })
    .click();
  await row.getByRole('button', { name: 'Actions for resend-me@example.org' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete invitation' });
  await expect(confirm.getByText('will stop working at once', { exact: false })).toBeVisible();
  await confirm.getByRole('button', { name: 'Delete invitation' }).click();
  await expect(confirm).toBeHidden();
  await phone.goto(second);
  await expect(phone.getByRole('heading', { name: 'This invitation was withdrawn' })).toBeVisible();
  await phone.goto('/invite/k1.00000000000000000000000000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await expect(phone.getByRole('heading', { name: 'We do not recognise this link' })).toBeVisible();
  await phone.goto('/download');
  await expect(phone.getByRole('heading', { name: 'Get the patient app' })).toBeVisible();
  await expectAccessible(phone);
  await patient.close();
});
