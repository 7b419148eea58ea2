import { expect, test } from '@playwright/test';
import {
  api,
  choose,
  expectAccessible,
  newDeployment,
  openPortal,
  openUserMenu,
  paste,
  settle,
  tokenFor,
} from './support';

test('invites with each expiry window and lists them as pending', async ({ page, request }) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Expiry ward');
  await openPortal(page, deployment);
  const windows = [
    ['24 hours', '24h'],
    ['48 hours', '48h'],
    ['7 days', '7d'],
    ['1 year', '1y'],
  ] as const;
  for (const [label, expiresIn] of windows) {
    await openUserMenu(page);
    await page.getByRole('menuitem', { name: 'Invite Patients' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite Patients' });
    await choose(dialog, 'Invitation expires in', label);
    await dialog.getByLabel('Email addresses').fill(`window-${expiresIn}@example.org`);
    await dialog.getByLabel('Email addresses').press('Enter');
    await dialog.getByRole('button', { name: 'Send invites' }).click();
    await expect(dialog.getByText('1 invitations sent')).toBeVisible();
    await dialog.getByRole('button', { name: 'Done' }).click();
  }
  await settle(request);
  const { items } = await api<{ items: { email: string; expiresIn: string; status: string }[] }>(
    request,
    token,
    'GET',
    `/api/deployments/${deployment}/invitations`,
  );
  expect(Object.fromEntries(items.map((i) => [i.email, i.expiresIn]))).toEqual({
    'window-24h@example.org': '24h',
    'window-48h@example.org': '48h',
    'window-7d@example.org': '7d',
    'window-1y@example.org': '1y',
  });
  await page.reload();
  await expect(page.getByTestId('count-pending')).toHaveText('4 pending');
  await expect(page.getByRole('table', { name: 'Patient invitations' }).getByRole('row')).toHaveCount(5);
  await expectAccessible(page);
});

test('takes 1,000 pasted addresses at once, marks the invalid ones, and sends the rest', async ({ page, request }) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Paste ward');
  await openPortal(page, deployment);
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Invite Patients' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite Patients' });
  const addresses = Array.from({ length: 1000 }, (_, i) => `Patient ${i} <paste${i}@example.org>`).join(', ');
  await paste(page, dialog.getByLabel('Email addresses'), `${addresses}\nnot-an-address\n`);
  await expect(dialog.getByText('1,000 ready')).toBeVisible();
  await expect(dialog.getByText('1 not valid: fix or remove them to send')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Send invites' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Remove not-an-address' }).click();
  await dialog.getByRole('button', { name: 'Send invites' }).click();
  await expect(dialog.getByText('1,000 invitations sent')).toBeVisible();
  await dialog.getByRole('button', { name: 'Done' }).click();
  await settle(request);
  const counts = await api<Record<string, number>>(
    request,
    token,
    'GET',
    `/api/deployments/${deployment}/invitations/counts`,
  );
  expect(counts.pending).toBe(1000);
});

test('imports a CSV file: each line with its finding, the ready addresses into the field', async ({
  page,
  request,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'CSV ward');
  await api(request, token, 'POST', `/api/deployments/${deployment}/invitations`, {
    emails: ['pending@example.org'],
    expiresIn: '7d',
  });
  await settle(request);
  await openPortal(page, deployment);
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Invite Patients' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite Patients' });
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Import csv file' }).click();
  const csv = 'Email\nnew1@example.org\nnot an address\nnew1@example.org\npending@example.org\nnew2@example.org\n';
  await (await chooser).setFiles({ name: 'patients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(
    dialog.getByText('From the file: 2 ready, 1 invalid, 1 duplicate, 1 already pending.', { exact: false }),
  ).toBeVisible();
  const findings = dialog.getByRole('table');
  await expect(findings.getByRole('row', { name: /not an address.*invalid/ })).toBeVisible();
  await expect(findings.getByRole('row', { name: /new1@example.org.*duplicate/ })).toBeVisible();
  await expect(findings.getByRole('row', { name: /pending@example.org.*already pending/ })).toBeVisible();
  await expect(dialog.getByText('2 ready', { exact: true })).toBeVisible();
  await expect(dialog.getByRole('listitem').filter({ hasText: 'new2@example.org' })).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Send invites' }).click();
  await expect(dialog.getByText('2 invitations sent')).toBeVisible();
});

test('works from the keyboard alone', async ({ page, request }) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Keyboard ward');
  await openPortal(page, deployment);
  await page.getByRole('button', { name: 'admin@example.org' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Invite Patients' })).toBeVisible();
  // The menu takes the focus once it has opened; an arrow key pressed before that goes nowhere.
  await page.waitForFunction(() => document.activeElement?.closest('[role="menu"]') != null);
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Invite Patients' })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Invite Patients' });
  await expect(dialog).toBeVisible();
  const emails = dialog.getByLabel('Email addresses');
  for (let i = 0; i < 10 && !(await emails.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(emails).toBeFocused();
  await page.keyboard.type('keys1@example.org');
  await page.keyboard.press('Enter');
  await page.keyboard.type('keys2@example.org,');
  await expect(dialog.getByText('2 ready', { exact: true })).toBeVisible();
  const send = dialog.getByRole('button', { name: 'Send invites' });
  for (let i = 0; i < 10 && !(await send.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expect(send).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('2 invitations sent')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Done' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
});
