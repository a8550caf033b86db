import { type Page } from '@playwright/test';
import { expect, test } from './fixtures/checked';
import { UNIVERSITY_PASSWORD, student } from './fixtures/pages';
import { waitForLink } from './fixtures/mailbox';

async function logIn(page: Page, userId: string, second = '') {
  await page.getByLabel('User ID', { exact: true }).fill(userId);
  await page.getByLabel('Password', { exact: true }).fill(UNIVERSITY_PASSWORD);
  await page.getByLabel('Second password', { exact: true }).fill(second);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

test('the first login, a second-password change and a reset can be walked in English', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 26);
  await page.goto('/e2e/login?lang=en');

  // 2.1
  await logIn(page, userId);
  await expect(page.getByRole('heading', { name: 'Register your email address' })).toBeVisible();
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Email address (confirm)', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Confirm', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Confirmation mail sent' })).toBeVisible();
  await page.goto(await waitForLink(email, 1));
  await page.getByRole('button', { name: 'Register this address' }).click();
  await expect(page.getByRole('heading', { name: 'Email address registered' })).toBeVisible();
  await page.getByRole('button', { name: 'Go to the login page' }).click();

  // 2.2
  await logIn(page, userId);
  await expect(page.getByRole('heading', { name: 'Set your second password' })).toBeVisible();
  await page.getByLabel('Second password', { exact: true }).fill('English2026x');
  await page.getByLabel('Second password (confirm)', { exact: true }).fill('English2026x');
  await page.getByRole('button', { name: 'Set', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Second password set' })).toBeVisible();
  await page.getByRole('button', { name: 'Go to the login page' }).click();

  // 2.3 and 2.4b
  await logIn(page, userId, 'English2026x');
  await expect(page.getByRole('heading', { name: `Welcome Test ${userId}` })).toBeVisible();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Change second password' }).click();
  await page.getByLabel('Current second password', { exact: true }).fill('English2026x');
  await page.getByLabel('New second password', { exact: true }).fill('English2026y');
  await page.getByLabel('New second password (confirm)', { exact: true }).fill('English2026z');
  await page.getByRole('button', { name: 'Change', exact: true }).click();
  await expect(page.getByText('The two passwords do not match.', { exact: true })).toBeVisible();
  await page.getByLabel('Current second password', { exact: true }).fill('English2026x');
  await page.getByLabel('New second password', { exact: true }).fill('English2026y');
  await page.getByLabel('New second password (confirm)', { exact: true }).fill('English2026y');
  await page.getByRole('button', { name: 'Change', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Second password changed' })).toBeVisible();
  await page.getByRole('button', { name: 'OK' }).click();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('button', { name: 'Log out' }).click();

  // 2.4c, with the mail in English
  await page.getByRole('link', { name: 'Forgot your second password?' }).click();
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Request received' })).toBeVisible();
  await page.goto(await waitForLink(email, 3));
  await expect(page.getByRole('heading', { name: 'Set a new second password' })).toBeVisible();
  await page.getByLabel('New second password', { exact: true }).fill('English2026r');
  await page.getByLabel('New second password (confirm)', { exact: true }).fill('English2026r');
  await page.getByRole('button', { name: 'Change', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Second password reset' })).toBeVisible();
  await page.getByRole('button', { name: 'OK' }).click();
  await logIn(page, userId, 'English2026r');
  await expect(page.getByRole('heading', { name: `Welcome Test ${userId}` })).toBeVisible();
});
