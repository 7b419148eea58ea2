import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';

export const ADMIN = { email: 'admin@example.org', password: 'correct horse battery staple 42' };

export async function tokenFor(
  request: APIRequestContext,
  email = ADMIN.email,
  password = ADMIN.password,
): Promise<string> {
  const res = await request.post('/api/auth/login', { data: { email, password } });
  expect(res.status()).toBe(200);
  return (await res.json()).accessToken;
}

export async function api<T>(
  request: APIRequestContext,
  token: string,
  method: string,
  path: string,
  data?: unknown,
): Promise<T> {
  const res = await request.fetch(path, { method, headers: { Authorization: `Bearer ${token}` }, data });
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? (undefined as T) : res.json();
}

/** A deployment of its own per test, so tests never see each other's invitations. */
export async function newDeployment(request: APIRequestContext, token: string, name: string): Promise<string> {
  return (await api<{ id: string }>(request, token, 'POST', '/api/deployments', { name })).id;
}

/** Opens the portal signed in (the browser holds the refresh cookie, as after signing in), on a deployment. */
export async function openPortal(
  page: Page,
  deploymentId: string,
  email = ADMIN.email,
  password = ADMIN.password,
): Promise<void> {
  await tokenFor(page.context().request, email, password);
  await page.goto(`/?deployment=${deploymentId}`);
  await expect(page.getByRole('heading', { name: 'Patients' })).toBeVisible();
}

export async function openUserMenu(page: Page, email = ADMIN.email): Promise<void> {
  await page.getByRole('button', { name: email }).click();
}

/** The newest email to an address, from the development outbox. */
export async function lastEmailTo(request: APIRequestContext, to: string): Promise<{ subject: string; text: string }> {
  for (let i = 0; i < 100; i++) {
    const { messages } = await (await request.get(`/api/dev/outbox?to=${encodeURIComponent(to)}`)).json();
    if (messages.length) return messages[0];
    await request.post('/api/testing/clock/advance', { data: { seconds: 0 } });
  }
  throw new Error(`No email to ${to}`);
}

export function linkIn(text: string, kind: 'invite' | 'join'): string {
  const match = new RegExp(`https?://[^\\s]+/${kind}/[A-Za-z0-9_.-]+`).exec(text);
  if (!match) throw new Error(`No ${kind} link in: ${text}`);
  return new URL(match[0]).pathname;
}

/** Waits until read models have caught up with every write so far. */
export async function settle(request: APIRequestContext): Promise<void> {
  await request.post('/api/testing/clock/advance', { data: { seconds: 0 } });
}

export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Picks an option of a select by its label, as a person would: open it, click the option. */
export async function choose(
  scope: Page | import('@playwright/test').Locator,
  name: string,
  option: string,
): Promise<void> {
  await scope.getByRole('combobox', { name }).click();
  await scope.getByRole('option', { name: option, exact: true }).click();
}

/** Pastes text into a field as the clipboard would: one paste event with the text. */
export async function paste(page: Page, field: Locator, text: string): Promise<void> {
  await field.focus();
  await field.evaluate((el, value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
