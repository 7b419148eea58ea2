import { expect, test } from '@playwright/test';
import { api, choose, expectAccessible, newDeployment, openPortal, openUserMenu, settle, tokenFor } from './support';

test('invites with each expiry window and lists them as pending', async ({ page, request }) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Expiry ward');
  await openPortal(page, token, deployment);
  const windows = [['24 hours', '24h'], ['48 hours', '48h'], ['7 days', '7d'], ['1 year', '1y']] as const;
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
  const { items } = await api<{ items: { email: string; expiresIn: string; status: string }[] }>(request, token, 'GET', `/api/deployments/${deployment}/invitations`);
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
