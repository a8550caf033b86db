import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures/checked';
import { signIn, student } from './fixtures/pages';
import { mailsTo } from './fixtures/mailbox';

/** The e2e server's database (end2end/start-server.sh), for the operator's CLI. */
const SHOMEI = '../target/debug/shomei';
const DATABASE = `sqlite://../${process.env.E2E_DATA ?? 'target/e2e'}/e2e.db?mode=rwc`;

test('M.I.Cオンラインチャージ: a card top-up reaches the balance, the history and the mailbox', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 36);
  await signIn(page, userId, email);

  await page.getByRole('link', { name: 'M.I.Cオンラインチャージ' }).click();
  await expect(page.getByRole('heading', { name: 'M.I.Cオンラインチャージ' })).toBeVisible();
  await expect(page.getByText('0円', { exact: true })).toBeVisible();
  await expect(page.getByText('現金での払い戻しはできません', { exact: false }).first()).toBeVisible();
  await page.getByLabel('3,000円').check();
  await page.getByLabel('クレジットカード').check();
  await page.getByRole('button', { name: '確認画面へ' }).click();

  await expect(page.getByRole('heading', { name: 'チャージ内容の確認' })).toBeVisible();
  await expect(page.getByText('開発用の決済ゲートウェイを使用しています', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: '支払いへ進む' }).click();

  // The development gateway's own payment page.
  await expect(page.getByText('実際の決済は行われません', { exact: false }).first()).toBeVisible();
  await page.getByLabel('カード番号 / Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: '支払う / Pay' }).click();

  // Back at shomei: 処理中 until the gateway's notice has come, then it reloads by itself.
  await expect(page.getByRole('heading', { name: 'チャージ完了' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('3,000円').first()).toBeVisible();
  await expect.poll(async () => (await mailsTo(email)).map((m) => m.subject).join('\n')).toContain('チャージ完了');

  await page.getByRole('button', { name: '利用履歴' }).click();
  await expect(page.getByRole('heading', { name: '利用履歴' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'チャージ' });
  await expect(row).toContainText('+3,000円');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'CSVでダウンロード' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  expect(csv).toContain('日時,内容,金額,残高');
  expect(csv).toContain(',3000,3000');
});

test('a declined card credits nothing and the page says why, in English', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 37);
  await signIn(page, userId, email);

  await page.goto('/e2e/card?lang=en');
  await expect(page.getByRole('heading', { name: 'M.I.C online top-up' })).toBeVisible();
  await page.getByLabel('Another amount').check();
  await page.getByLabel('Amount (yen)').fill('2,000');
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByRole('heading', { name: 'Review your top-up' })).toBeVisible();
  await expect(page.getByText('2,000 yen').first()).toBeVisible();
  await page.getByRole('button', { name: 'Go to payment' }).click();

  await page.getByLabel('カード番号 / Card number').fill('4000000000000002');
  await page.getByRole('button', { name: '支払う / Pay' }).click();

  await expect(page.getByRole('heading', { name: 'The payment did not go through' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('did not approve the payment', { exact: false })).toBeVisible();
  await page.goto('/e2e/card?lang=en');
  await expect(page.getByText('0 yen', { exact: true })).toBeVisible();
});

test('an amount outside the limits is refused with a message and nothing starts', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 38);
  await signIn(page, userId, email);

  await page.goto('/e2e/card');
  await page.getByLabel('その他の金額').check();
  await page.getByLabel('金額（円）').fill('500');
  await page.getByRole('button', { name: '確認画面へ' }).click();
  await expect(page.getByText('チャージ金額が1回の下限を下回っています', { exact: false })).toBeVisible();

  await page.getByLabel('その他の金額').check();
  await page.getByLabel('金額（円）').fill('1000.5');
  await page.getByRole('button', { name: '確認画面へ' }).click();
  await expect(page.getByText('金額は1円単位の数字で入力してください', { exact: false })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'M.I.Cオンラインチャージ' })).toBeVisible();
});

test('a konbini top-up waits for the store and is credited once the operator marks it paid', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 39);
  await signIn(page, userId, email);

  await page.goto('/e2e/card');
  await page.getByLabel('5,000円').check();
  await page.getByLabel('コンビニ払い').check();
  await page.getByRole('button', { name: '確認画面へ' }).click();
  await page.getByRole('button', { name: '支払いへ進む' }).click();

  await expect(page.getByRole('heading', { name: 'コンビニでお支払いください' })).toBeVisible();
  const number = (await page.locator('.slip-number').textContent())!.trim();
  expect(number).toMatch(/^\d{12}$/);
  await expect(page.getByText('支払期限', { exact: true })).toBeVisible();

  // The student pays at the store; here the operator says so.
  execFileSync(SHOMEI, ['dev-gateway', 'pay', number], {
    env: { ...process.env, SHOMEI_DATABASE_URL: DATABASE, SHOMEI_LOG: 'error' },
  });

  await expect(async () => {
    await page.getByRole('button', { name: '更新' }).click();
    await expect(page.getByRole('heading', { name: 'チャージ完了' })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText('5,000円').first()).toBeVisible();
});
