import { expect, test } from './fixtures/checked';
import { LoginPage, SECOND_PASSWORD, UNIVERSITY_PASSWORD, signIn, student } from './fixtures/pages';

const THROTTLED = 'ログインの失敗が続いたため、このユーザIDのログインを一時的に停止しています。数分待ってからもう一度お試しください。';
const INVALID = 'ユーザID、パスワード、または第2パスワードが正しくありません。';

test("an attacker's failures from another browser do not keep the student out of their own", async ({ page, browser }, info) => {
  const { userId, email } = student(info.project.name, 28);
  await signIn(page, userId, email);
  await page.getByRole('button', { name: 'メニュー' }).click();
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page.getByRole('heading', { name: '在学生ログイン' })).toBeVisible();

  // Another browser on the same address guesses until the user ID is delayed.
  const attacker = await browser.newContext();
  const attackerPage = await attacker.newPage();
  const attackerLogin = new LoginPage(attackerPage);
  await attackerLogin.goto();
  for (let guess = 0; guess < 5; guess++) {
    await attackerLogin.login(userId, `guess-${guess}`, 'Guess2026x');
    await expect(attackerPage.getByRole('alert')).toHaveText(INVALID);
  }
  await attackerLogin.login(userId, UNIVERSITY_PASSWORD, SECOND_PASSWORD);
  await expect(attackerPage.getByRole('alert')).toHaveText(THROTTLED);

  // The student's own browser, which logged in before, still gets in.
  await new LoginPage(page).login(userId, UNIVERSITY_PASSWORD, SECOND_PASSWORD);
  await expect(page).toHaveURL(/\/e2e\/home$/);
  await attacker.close();
});
