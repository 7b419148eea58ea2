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

/** Addresses of this run: the service and its clock outlive a test, and a repeat must not read an older email. */
const RUN = Date.now().toString(36);

test('the Settings page changes how the next email reads, and the default expiry of the dialogs', async ({
  page,
  request,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Station Sieben');
  await openPortal(page, deployment);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings of Station Sieben' })).toBeVisible();
  await choose(page, 'Language of emails and patient pages', 'Deutsch');
  const zone = page.getByRole('combobox', { name: 'Time zone' });
  await zone.fill('Europe/Berl');
  await page.getByRole('option', { name: 'Europe/Berlin', exact: true }).click();
  await page.getByRole('textbox', { name: 'Sender name' }).fill('Station 7');
  await page.getByRole('textbox', { name: 'Reply-to address' }).fill('not an address');
  await choose(page, 'Invitations and links expire in, unless chosen otherwise', '48 hours');
  await page.getByRole('textbox', { name: 'Sign-off of the invitation email' }).fill('Ihr Team der Station 7');
  await page.getByRole('textbox', { name: /Remove patients' addresses from ended invitations/ }).fill('90');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('The reply-to address is not an email address.')).toBeVisible();
  await page.getByRole('textbox', { name: 'Reply-to address' }).fill('station7@example.org');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved. The next emails use these settings.');
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Sender name' })).toHaveValue('Station 7');
  await expect(page.getByRole('textbox', { name: /Remove patients' addresses from ended invitations/ })).toHaveValue(
    '90',
  );
  expect(
    (await api<{ personalDataRetentionDays: number }>(request, token, 'GET', `/api/deployments/${deployment}/settings`))
      .personalDataRetentionDays,
  ).toBe(90);

  await api(request, token, 'POST', `/api/deployments/${deployment}/invitations`, {
    emails: [`settings-patient-${RUN}@example.org`],
  });
  const mail = (await lastEmailTo(request, `settings-patient-${RUN}@example.org`)) as {
    subject: string;
    text: string;
    from: string;
    replyTo: string;
  };
  expect(mail.subject).toBe('Station Sieben lädt Sie zur Patienten-App ein');
  expect(mail.from).toMatch(/^"Station 7" </);
  expect(mail.replyTo).toBe('station7@example.org');
  expect(mail.text.trimEnd()).toMatch(/Ihr Team der Station 7$/);

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Patients' }).click();
  await openUserMenu(page);
  await page.getByRole('menuitem', { name: 'Invite Patients' }).click();
  await expect(page.getByRole('dialog').getByRole('combobox', { name: 'Invitation expires in' })).toHaveValue(
    '48 hours',
  );
});

test("patient pages speak the browser's language when they have it, else the deployment's", async ({
  request,
  browser,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Kardiologie');
  await api(request, token, 'PATCH', `/api/deployments/${deployment}/settings`, {
    language: 'de',
    timeZone: 'Europe/Berlin',
  });
  const issued = await api<{ issued: { expiresAt: string }[] }>(
    request,
    token,
    'POST',
    `/api/deployments/${deployment}/invitations`,
    { emails: [`sprachen-${RUN}@example.org`], expiresIn: '7d' },
  );
  const path = linkIn((await lastEmailTo(request, `sprachen-${RUN}@example.org`)).text, 'invite');

  const italian = await browser.newContext({ locale: 'it-IT' });
  const page = await italian.newPage();
  await page.goto(path);
  await expect(page.getByRole('heading', { name: 'Kardiologie lädt Sie zur Patienten-App ein' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  const shown = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' })
    .formatToParts(new Date(issued.issued[0].expiresAt))
    .map((p) => p.value)
    .join('');
  await expect(
    page.getByText(`Diese Einladung gilt für sprachen-${RUN}@example.org und ist gültig bis ${shown}.`),
  ).toBeVisible();
  await expect(page.getByLabel('Passwort wählen')).toBeVisible();
  await expectAccessible(page);
  await italian.close();

  const french = await browser.newContext({ locale: 'fr-FR' });
  const phone = await french.newPage();
  await phone.goto(path);
  await expect(phone.getByRole('heading', { name: "Kardiologie vous invite à l'application patient" })).toBeVisible();
  await expect(phone.locator('html')).toHaveAttribute('lang', 'fr');
  await phone.goto('/invite/not-a-real-token');
  await expect(phone.getByRole('heading', { name: 'Nous ne reconnaissons pas ce lien' })).toBeVisible();
  await french.close();
});

test('re-sends every expired invitation from the list in one step', async ({ page, request }) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Bulk ward');
  await api(request, token, 'POST', `/api/deployments/${deployment}/invitations`, {
    emails: [`late-1-${RUN}@example.org`, `late-2-${RUN}@example.org`],
    expiresIn: '24h',
  });
  await request.post('/api/testing/clock/advance', { data: { seconds: 25 * 3600 } });
  await settle(request);
  await openPortal(page, deployment);
  await expect(page.getByTestId('count-expired')).toHaveText('2 expired');
  await page.getByRole('button', { name: 'Re-send all expired' }).click();
  const dialog = page.getByRole('dialog', { name: 'Re-send all expired' });
  await expect(dialog).toContainText('Re-send every expired invitation in this deployment?');
  await dialog.getByRole('button', { name: 'Re-send' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Re-sent 2 invitations.');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(page.getByTestId('count-pending')).toHaveText('2 pending');
  await settle(request); // the re-sent emails go out: the clock's advance waits for the mail sender
  expect((await lastEmailTo(request, `late-1-${RUN}@example.org`)).subject).toBe('Your new invitation from Bulk ward');
});

test('every patient page renders in each of the four languages, with no placeholder left', async ({
  request,
  browser,
}) => {
  const token = await tokenFor(request);
  const deployment = await newDeployment(request, token, 'Polyglot ward');
  await api(request, token, 'POST', `/api/deployments/${deployment}/invitations`, {
    emails: [`polyglot-${RUN}@example.org`],
  });
  const invite = linkIn((await lastEmailTo(request, `polyglot-${RUN}@example.org`)).text, 'invite');
  const link = await api<{ url: string }>(
    request,
    token,
    'POST',
    `/api/deployments/${deployment}/invitation-links`,
    {},
  );
  const join = new URL(link.url).pathname;
  const titles: Record<string, string[]> = {
    'en-GB': [
      'Polyglot ward invites you',
      'Join Polyglot ward',
      'Get the patient app',
      'Forgot your password?',
      'We do not recognise',
    ],
    'de-DE': [
      'Polyglot ward lädt Sie',
      'Polyglot ward beitreten',
      'Patienten-App holen',
      'Passwort vergessen?',
      'Wir erkennen diesen',
    ],
    'fr-FR': [
      'Polyglot ward vous invite',
      'Rejoindre Polyglot ward',
      "Obtenir l'application",
      'Mot de passe oublié',
      'Nous ne reconnaissons',
    ],
    'es-ES': [
      'Polyglot ward le invita',
      'Unirse a Polyglot ward',
      'Obtener la aplicación',
      '¿Ha olvidado su',
      'No reconocemos este',
    ],
  };
  for (const [locale, expected] of Object.entries(titles)) {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    for (const [path, title] of [invite, join, '/download', '/forgot-password', '/invite/unknown'].map(
      (p, i) => [p, expected[i]] as const,
    )) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toContainText(title);
      await expect(page.locator('html')).toHaveAttribute('lang', locale.slice(0, 2));
      expect([locale, path, await page.locator('main').innerText()]).not.toContainEqual(
        expect.stringMatching(/\{\w+\}/),
      );
    }
    await context.close();
  }
});
