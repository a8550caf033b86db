import { expect, test } from './fixtures/checked';
import {
  LoginPage,
  SECOND_PASSWORD,
  UNIVERSITY_PASSWORD,
  openMenu,
  signIn,
  student,
} from './fixtures/pages';
import { mailsTo, waitForLink } from './fixtures/mailbox';

test('2.4a: the email address changes once the link sent to the new address is confirmed', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 20);
  const newEmail = `${userId}.new@example.ac.jp`;
  await signIn(page, userId, email);

  await openMenu(page, 'メールアドレス変更');
  await expect(page.getByRole('heading', { name: 'メールアドレスの変更' })).toBeVisible();
  await page.getByLabel('新しいメールアドレス', { exact: true }).fill(newEmail);
  await page.getByLabel('新しいメールアドレス（確認）', { exact: true }).fill(newEmail);
  await page.getByLabel('現在の第2パスワード', { exact: true }).fill('Wrong2026x');
  await page.getByRole('button', { name: '確認', exact: true }).click();
  await expect(page.getByText('現在の第2パスワードが正しくありません。', { exact: true })).toBeVisible();
  // The refused form comes back with the addresses as typed; only the password is asked again.
  await expect(page.getByLabel('新しいメールアドレス', { exact: true })).toHaveValue(newEmail);

  await page.getByLabel('現在の第2パスワード', { exact: true }).fill(SECOND_PASSWORD);
  await page.getByRole('button', { name: '確認', exact: true }).click();
  await expect(page.getByRole('heading', { name: '確認メールを送信しました' })).toBeVisible();
  const link = await waitForLink(newEmail);
  await page.goto(link);
  await page.getByRole('button', { name: 'メールアドレスを変更する' }).click();
  await expect(page.getByRole('heading', { name: 'メールアドレスの変更完了' })).toBeVisible();

  // The old address heard of the request and of the change.
  await expect.poll(async () => (await mailsTo(email)).length).toBe(3);
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(page.getByText(newEmail)).toBeVisible();
});

test('2.4b: the second password changes, with its refusals', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 21);
  await signIn(page, userId, email);

  await openMenu(page, '第2パスワード変更');
  await expect(page.getByRole('heading', { name: '第2パスワードの変更' })).toBeVisible();
  const current = page.getByLabel('現在の第2パスワード', { exact: true });
  const next = page.getByLabel('新しい第2パスワード', { exact: true });
  const confirmation = page.getByLabel('新しい第2パスワード（確認）', { exact: true });
  const submit = page.getByRole('button', { name: '変更', exact: true });

  await current.fill('Wrong2026x');
  await next.fill('Changed2026x');
  await confirmation.fill('Changed2026x');
  await submit.click();
  await expect(page.getByText('現在の第2パスワードが正しくありません。', { exact: true })).toBeVisible();
  // A refused form comes back with its password fields empty: secrets are kept nowhere.
  await expect(next).toHaveValue('');

  await current.fill(SECOND_PASSWORD);
  await next.fill('Changed2026x');
  await confirmation.fill('Changed2026y');
  await submit.click();
  await expect(page.getByText('確認欄の第2パスワードが一致しません。', { exact: true })).toBeVisible();

  await current.fill(SECOND_PASSWORD);
  await next.fill('Changed2026x');
  await confirmation.fill('Changed2026x');
  await submit.click();
  await expect(page.getByRole('heading', { name: '第2パスワードの変更完了' })).toBeVisible();
  await page.getByRole('button', { name: 'OK' }).click();
  await expect(page).toHaveURL(/\/e2e\/home\??$/);

  await page.getByRole('button', { name: 'メニュー' }).click();
  await page.getByRole('button', { name: 'ログアウト' }).click();
  const login = new LoginPage(page);
  await expect(page.getByRole('heading', { name: '在学生ログイン' })).toBeVisible();
  await login.login(userId, UNIVERSITY_PASSWORD, 'Changed2026x');
  await expect(page).toHaveURL(/\/e2e\/home$/);
});

test('2.4c: a forgotten second password is reset through the mailed link', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 22);
  await signIn(page, userId, email);
  await page.getByRole('button', { name: 'メニュー' }).click();
  await page.getByRole('button', { name: 'ログアウト' }).click();

  await page.getByRole('link', { name: '第2パスワードを忘れた場合' }).click();
  await expect(page.getByRole('heading', { name: '第2パスワードの再設定' })).toBeVisible();
  await page.getByLabel('メールアドレス', { exact: true }).fill(email);
  await page.getByRole('button', { name: '送信', exact: true }).click();
  await expect(page.getByRole('heading', { name: '受け付けました' })).toBeVisible();
  const link = await waitForLink(email, 2);

  await page.goto(link);
  await page.getByLabel('新しい第2パスワード', { exact: true }).fill('Reset2026x');
  await page.getByLabel('新しい第2パスワード（確認）', { exact: true }).fill('Reset2026x');
  await page.getByRole('button', { name: '変更', exact: true }).click();
  await expect(page.getByRole('heading', { name: '第2パスワードの再設定完了' })).toBeVisible();
  await page.getByRole('button', { name: 'OK' }).click();

  const login = new LoginPage(page);
  await expect(page.getByRole('heading', { name: '在学生ログイン' })).toBeVisible();
  await login.login(userId, UNIVERSITY_PASSWORD, 'Reset2026x');
  await expect(page).toHaveURL(/\/e2e\/home$/);

  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole('alert')).toHaveText('このURLはすでに使用されています。');
});

test('2.4c: an unknown address is answered like a known one', async ({ page }) => {
  await page.goto('/e2e/second-password/forgot');
  await page.getByLabel('メールアドレス', { exact: true }).fill('nobody@example.ac.jp');
  await page.getByRole('button', { name: '送信', exact: true }).click();

  await expect(page.getByRole('heading', { name: '受け付けました' })).toBeVisible();
  await page.waitForTimeout(1_000);
  expect(await mailsTo('nobody@example.ac.jp')).toHaveLength(0);
});

test('a voided link says so', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 23);
  const login = new LoginPage(page);
  await login.goto();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await expect(page.getByRole('heading', { name: 'メールアドレスの登録' })).toBeVisible();
  for (const _ of [1, 2]) {
    await page.goto('/e2e/email/register');
    await page.getByLabel('メールアドレス', { exact: true }).fill(email);
    await page.getByLabel('メールアドレス（確認）', { exact: true }).fill(email);
    await page.getByRole('button', { name: '確認', exact: true }).click();
    await expect(page.getByRole('heading', { name: '確認メールを送信しました' })).toBeVisible();
  }
  const first = await waitForLink(email, 1);
  await waitForLink(email, 2);

  await page.goto(first);

  await expect(page.getByRole('alert')).toHaveText(/新しい手続きにより無効になりました/);
});

test('3.1: the manual opens from the menu and from the login page, in both languages', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 24);
  await signIn(page, userId, email);

  await openMenu(page, 'マニュアル');
  await expect(page.getByRole('heading', { name: '操作マニュアル', level: 1 })).toBeVisible();
  await expect(page.locator('article').getByText('000-2222-3333')).toBeVisible();
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'User manual', level: 1 })).toBeVisible();

  await page.goto('/e2e/login?lang=ja');
  await page.getByRole('link', { name: 'マニュアル' }).click();
  await expect(page.getByRole('heading', { name: '操作マニュアル', level: 1 })).toBeVisible();
});

test('the menu works by keyboard and fits a 320 px wide phone', async ({ page, pageChecks }, info) => {
  const { userId, email } = student(info.project.name, 25);
  await signIn(page, userId, email);
  await pageChecks.settle();
  await page.setViewportSize({ width: 320, height: 640 });

  const menu = page.getByRole('button', { name: 'メニュー' });
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'メールアドレス変更' })).toBeFocused();
  const box = await page.locator('.menu-items').boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(320);

  await page.keyboard.press('Escape');
  await expect(page.getByRole('link', { name: 'メールアドレス変更' })).toBeHidden();
  await expect(menu).toBeFocused();
});
