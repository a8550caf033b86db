import { expect, test } from './fixtures/checked';
import { UNIVERSITY_PASSWORD, student } from './fixtures/pages';

const PORTAL = process.env.E2E_PORTAL_URL ?? 'http://localhost:3200';

test('a portal the university lists may frame its login page, and the student logs in from it', async ({ page, browserName }, info) => {
  const { userId } = student(info.project.name, 27);
  await page.goto(`${PORTAL}/allowed`);
  const frame = page.frameLocator('iframe[title="証明書発行サービス"]');

  await expect(frame.getByRole('heading', { name: '在学生ログイン' })).toBeVisible();
  // If the browser refuses the frame's cookies, the page says how to go on.
  const newTab = frame.getByRole('link', { name: '新しいタブで開く' });
  await expect(newTab).toHaveAttribute('target', '_blank');
  await frame.getByLabel('ユーザID').fill(userId);
  await frame.getByLabel('パスワード', { exact: true }).fill(UNIVERSITY_PASSWORD);
  if (browserName === 'firefox') {
    // Firefox over WebDriver BiDi delivers no click or key to a frame of another site (an
    // out-of-process frame): nothing is sent. A person's click does send it, checked with
    // real X input (xdotool, Firefox ESR 153, 2026-11-30). What the click would do is asked
    // of the form itself; where it goes (`target=_top`) is what this test is about.
    await frame.locator('form[method="post"]').evaluate((form: HTMLFormElement) => form.requestSubmit());
  } else {
    await frame.getByRole('button', { name: 'ログイン' }).click();
  }

  // The login leaves the frame: the student goes on in the whole window, signed in.
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/e2e\/email\/register$/);
  await expect(page.getByLabel('メールアドレス', { exact: true })).toBeVisible();
});

test('a portal the university does not list cannot frame its login page', async ({ page }) => {
  await page.goto(`${PORTAL}/blocked`);
  const frame = page.frameLocator('iframe[title="証明書発行サービス"]');
  // Give the frame time to load; the browser then shows its own error page instead.
  await page.waitForTimeout(1500);
  await expect(frame.getByRole('heading', { name: '在学生ログイン' })).toHaveCount(0);
  await expect(frame.getByLabel('ユーザID')).toHaveCount(0);
});

test('pages hydrate under the Content-Security-Policy without a single violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|CSP/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  await page.goto('/e2e/login');
  // Instant validation needs the WASM: it runs only if the policy let it load.
  const userId = page.getByLabel('ユーザID');
  await userId.fill('a b');
  await userId.blur();
  await expect(page.getByText('ユーザIDの形式が正しくありません', { exact: false })).toBeVisible();
  await page.goto('/e2e/second-password/forgot');
  await page.goto('/e2e/manual');

  expect(violations).toEqual([]);
});
