import { expect, test } from './fixtures/checked';
import {
  LoginPage,
  SECOND_PASSWORD,
  UNIVERSITY_PASSWORD,
  completeFirstLogin,
  registerEmail,
  student,
} from './fixtures/pages';
import { waitForLink } from './fixtures/mailbox';

test('wrong credentials of any kind get one and the same message', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 10);
  await completeFirstLogin(page, userId, email);
  const login = new LoginPage(page);
  const message = 'ユーザID、パスワード、または第2パスワードが正しくありません。';

  for (const [id, password, second] of [
    ['nobody', UNIVERSITY_PASSWORD, SECOND_PASSWORD],
    [userId, 'wrong-password', SECOND_PASSWORD],
    [userId, UNIVERSITY_PASSWORD, 'Wrong2026x'],
  ]) {
    await login.goto();
    await login.login(id, password, second);
    await expect(page.getByRole('alert')).toHaveText(message);
    // The page comes back with the user ID as typed and the passwords empty.
    await expect(page.getByLabel('ユーザID', { exact: true })).toHaveValue(id);
    await expect(page.getByLabel('パスワード', { exact: true })).toHaveValue('');
  }
});

test('an email confirmation that does not match is refused under the field', async ({ page }, info) => {
  const { userId } = student(info.project.name, 11);
  const login = new LoginPage(page);
  await login.goto();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await expect(page.getByRole('heading', { name: 'メールアドレスの登録' })).toBeVisible();

  await page.getByLabel('メールアドレス', { exact: true }).fill('one@example.ac.jp');
  await page.getByLabel('メールアドレス（確認）', { exact: true }).fill('two@example.ac.jp');
  await page.getByRole('button', { name: '確認', exact: true }).click();

  await expect(page.getByText('確認欄のメールアドレスが一致しません。')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'メールアドレスの登録' })).toBeVisible();
});

test('a second password that breaks the rule is refused, instantly and by the server', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 12);
  const login = new LoginPage(page);
  await login.goto();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await registerEmail(page, email);
  await page.getByRole('button', { name: 'ログインページへ移動' }).click();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await expect(page.getByRole('heading', { name: '第2パスワードの設定' })).toBeVisible();

  // The browser's own check, as soon as the field is left.
  const field = page.getByLabel('第2パスワード', { exact: true });
  await field.fill('shomei2026');
  await field.blur();
  await expect(page.getByText('英大文字・英小文字・数字をそれぞれ1文字以上含めてください。', { exact: true })).toBeVisible();
  await expect(field).toHaveAttribute('aria-invalid', 'true');

  // A confirmation that does not match.
  await field.fill(SECOND_PASSWORD);
  await page.getByLabel('第2パスワード（確認）', { exact: true }).fill('Shomei2026y');
  await page.getByRole('button', { name: '設定', exact: true }).click();
  await expect(page.getByText('確認欄の第2パスワードが一致しません。', { exact: true })).toBeVisible();

  // The university password, which only the server can know.
  await field.fill(UNIVERSITY_PASSWORD);
  await page.getByLabel('第2パスワード（確認）', { exact: true }).fill(UNIVERSITY_PASSWORD);
  await page.getByRole('button', { name: '設定', exact: true }).click();
  await expect(page.getByText('大学で利用しているパスワードは第2パスワードに設定できません。', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: '第2パスワードの設定' })).toBeVisible();
});

test('a used link cannot be used again', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 13);
  const login = new LoginPage(page);
  await login.goto();
  await login.login(userId, UNIVERSITY_PASSWORD);
  const link = await registerEmail(page, email);

  await page.goto(link);

  await expect(page.getByRole('alert')).toHaveText('このURLはすでに使用されています。');
  await expect(page.getByRole('button', { name: 'ログインページへ移動' })).toBeVisible();
});

test('an expired link is refused', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 14);
  const login = new LoginPage(page, 'e2e-quick');
  await login.goto();
  await login.login(userId, UNIVERSITY_PASSWORD);
  await page.getByLabel('メールアドレス', { exact: true }).fill(email);
  await page.getByLabel('メールアドレス（確認）', { exact: true }).fill(email);
  await page.getByRole('button', { name: '確認', exact: true }).click();
  await expect(page.getByRole('heading', { name: '確認メールを送信しました' })).toBeVisible();
  const link = await waitForLink(email);

  // e2e-quick's links live 5 seconds.
  await page.waitForTimeout(6_000);
  await page.goto(link);

  await expect(page.getByRole('alert')).toHaveText('このURLは有効期限が切れています。');
});

test('what a student types before the page has woken up is kept', async ({ page }, info) => {
  const { userId } = student(info.project.name, 15);
  // Hold the page's WASM back until the form is filled, as on a slow phone line.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/pkg/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  const login = new LoginPage(page);
  await login.goto();
  await page.getByLabel('ユーザID', { exact: true }).fill(userId);
  await page.getByLabel('パスワード', { exact: true }).fill(UNIVERSITY_PASSWORD);

  release();
  await page.waitForLoadState('networkidle');

  await expect(page.getByLabel('ユーザID', { exact: true })).toHaveValue(userId);
  await expect(page.getByLabel('パスワード', { exact: true })).toHaveValue(UNIVERSITY_PASSWORD);
  await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'メールアドレスの登録' })).toBeVisible();
});
