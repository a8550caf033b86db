import { expect, test } from './fixtures/checked';
import {
  LoginPage,
  SECOND_PASSWORD,
  UNIVERSITY_PASSWORD,
  registerEmail,
  setSecondPassword,
  student,
} from './fixtures/pages';

test('a student registers an email, sets the second password and logs in (2.1 → 2.2 → 2.3)', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 1);
  const login = new LoginPage(page);

  // 2.1: ID and password only; the notes and help desk are on the page.
  await login.goto();
  await expect(page.getByText('E2E大学の注意事項')).toBeVisible();
  await expect(page.getByText('000-2222-3333')).toBeVisible();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await registerEmail(page, email);

  // 2.2: back to login, then the setup screen.
  await page.getByRole('button', { name: 'ログインページへ移動' }).click();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await setSecondPassword(page, SECOND_PASSWORD);
  await expect(page.getByRole('heading', { name: '第2パスワードを設定しました' })).toBeVisible();
  await page.getByRole('button', { name: 'ログインページへ移動' }).click();

  // 2.3: all three fields open the home page.
  await login.login(userId, UNIVERSITY_PASSWORD, SECOND_PASSWORD);
  await expect(page).toHaveURL(/\/e2e\/home$/);
  await expect(page.getByRole('heading', { name: `ようこそ 試験 ${userId}` })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  // The menu at the top right holds logout.
  await page.getByRole('button', { name: 'メニュー' }).click();
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: '在学生ログイン' })).toBeVisible();
  await page.goto('/e2e/home');
  await expect(page).toHaveURL(/\/e2e\/login$/);
});

test('the whole first login works with JavaScript disabled', async ({ browser, baseURL }, info) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  const { userId, email } = student(info.project.name, 2);
  const login = new LoginPage(page);

  await login.goto();
  await login.login(userId, 'wrong-password');
  await expect(page.getByRole('alert')).toHaveText('ユーザID、パスワード、または第2パスワードが正しくありません。');
  await login.login(userId, UNIVERSITY_PASSWORD);
  await registerEmail(page, email);
  await page.getByRole('button', { name: 'ログインページへ移動' }).click();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await setSecondPassword(page, SECOND_PASSWORD);
  await page.getByRole('button', { name: 'ログインページへ移動' }).click();
  await login.login(userId, UNIVERSITY_PASSWORD, SECOND_PASSWORD);

  await expect(page.getByRole('heading', { name: `ようこそ 試験 ${userId}` })).toBeVisible();
  await context.close();
});

test('the pages speak English after the language switch', async ({ page }, info) => {
  const { userId } = student(info.project.name, 3);

  await page.goto('/e2e/login');
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Student login' })).toBeVisible();
  await expect(page.getByText('E2E University notes')).toBeVisible();
  await page.getByLabel('User ID', { exact: true }).fill(userId);
  await page.getByLabel('Password', { exact: true }).fill(UNIVERSITY_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();

  await expect(page.getByRole('heading', { name: 'Register your email address' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
