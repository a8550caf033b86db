import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures/checked';
import { signIn, student } from './fixtures/pages';
import { mailsTo } from './fixtures/mailbox';
import { addMember, firstSignIn } from './fixtures/staff';

/** The e2e server's database (end2end/start-server.sh), for the operator's CLI. */
const SHOMEI = '../target/debug/shomei';
const DATABASE = `sqlite://../${process.env.E2E_DATA ?? 'target/e2e'}/e2e.db?mode=rwc`;

/** Puts `yen` on a student's card, as the operator's correction. */
function putOnCard(userId: string, yen: number) {
  execFileSync(
    SHOMEI,
    ['ledger', 'adjust', '--tenant', 'e2e', '--user-id', userId, '--amount', String(yen), '--reason', '入金'],
    { env: { ...process.env, SHOMEI_DATABASE_URL: DATABASE, SHOMEI_LOG: 'error' } },
  );
}

test('各種証明書のオンライン申請: a transcript and an enrollment certificate by post, paid from the balance', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 41);
  await signIn(page, userId, email);
  putOnCard(userId, 2000);

  await page.getByRole('link', { name: '各種証明書のオンライン申請' }).click();
  await expect(page.getByRole('heading', { name: '各種証明書のオンライン申請' })).toBeVisible();
  // A type this student may not order is shown with the reason, not hidden.
  const degree = page.getByRole('group', { name: '学位授与証明書' });
  await expect(degree.getByText('申請できません')).toBeVisible();
  await page.getByRole('group', { name: '在学証明書' }).getByLabel('和文の部数').fill('1');
  await page.getByRole('group', { name: '成績証明書' }).getByLabel('和文の部数').fill('1');
  await page.getByLabel('郵送（国内）', { exact: false }).check();
  await page.getByLabel('郵便番号').fill('113-0033');
  await page.getByLabel('都道府県').selectOption('東京都');
  await page.getByLabel('市区町村').fill('文京区');
  await page.getByLabel('町名・番地').fill('本郷7-3-1');
  await page.getByLabel('宛名').fill('試験 太郎');
  await page.getByLabel('用途（任意）').fill('就職活動');
  await page.getByRole('button', { name: '確認画面へ' }).click();

  await expect(page.getByRole('heading', { name: '申請内容の確認' })).toBeVisible();
  await expect(page.getByText('〒113-0033')).toBeVisible();
  // 200 + 300 + 110 for the post.
  await expect(page.getByText('610円', { exact: true })).toBeVisible();
  await expect(page.getByText('1,390円', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: '申請する' }).click();

  await expect(page.getByRole('heading', { name: '申請の詳細' })).toBeVisible();
  await expect(page.getByText('申請を受け付けました', { exact: false })).toBeVisible();
  await expect(page.getByText('受付済').first()).toBeVisible();
  await expect.poll(async () => (await mailsTo(email)).map((m) => m.subject).join('\n')).toContain('証明書の申請を受け付けました');

  await page.getByRole('link', { name: '申請履歴' }).click();
  await expect(page.getByRole('heading', { name: '申請履歴' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: '成績証明書' });
  await expect(row).toContainText('610円');
  await expect(row).toContainText('受付済');
});

test('applying in English: a balance too low shows the shortfall, the student pays by credit card on the gateway\'s page instead, and once a clerk issues it the PDF downloads', async ({ page }, info) => {
  // Two people's walks in one test (a student's, then a clerk's first sign-in with an
  // authenticator): on Firefox under the whole suite they ran past the default 60 s.
  test.slow();
  const { userId, email } = student(info.project.name, 42);
  await signIn(page, userId, email);

  await page.goto('/e2e/certificates?lang=en');
  await expect(page.getByRole('heading', { name: 'Apply for certificates online' })).toBeVisible();
  await page.getByRole('group', { name: 'Academic Transcript' }).getByLabel('Copies in English').fill('2');
  await page.getByLabel('Electronic certificate (PDF download)', { exact: false }).check();
  await page.getByRole('button', { name: 'Review' }).click();

  await expect(page.getByRole('heading', { name: 'Review your application' })).toBeVisible();
  await expect(page.getByText('Your balance is 600 yen short', { exact: false })).toBeVisible();
  // The balance cannot pay it; a card can, through the gateway.
  await expect(page.getByLabel('M.I.C balance', { exact: false })).toBeDisabled();
  await expect(page.getByLabel('Credit card', { exact: true })).toBeChecked();
  await page.getByRole('button', { name: 'Apply' }).click();

  // The development gateway's own payment page, then back at the application: awaiting
  // payment until the gateway's notice has come, and the page loads itself again.
  await expect(page.getByText('実際の決済は行われません', { exact: false }).first()).toBeVisible();
  await page.getByLabel('カード番号 / Card number').fill('4242 4242 4242 4242');
  await page.getByRole('button', { name: '支払う / Pay' }).click();
  await expect(page.getByRole('heading', { name: 'Application details' })).toBeVisible();
  await expect(page.getByText('Accepted', { exact: true }).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Credit card', { exact: true })).toBeVisible();
  const number = new URL(page.url()).searchParams.get('no')!;
  await expect.poll(async () => (await mailsTo(email)).map((m) => m.text).join('\n')).toContain('paid by Credit card');

  // The office, in English: a clerk starts it and marks it issued, which makes the PDFs.
  const login = `hakko-${info.project.name}`;
  await firstSignIn(page, login, addMember(login, 'clerk'), 'en');
  await page.goto(`/e2e/staff/application?no=${number}&lang=en`);
  await expect(page.getByRole('heading', { name: `Processing an application ${number}` })).toBeVisible();
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.getByText('The application is now: Processing.')).toBeVisible();
  await page.getByRole('button', { name: 'Mark issued (PDF)' }).click();
  await expect(page.getByText('The application is now: Issued.')).toBeVisible();

  // The student downloads the transcript: a real PDF in English, with their registry data.
  await page.goto(`/e2e/certificates/application?no=${number}&lang=en`);
  await expect(page.getByText('Issued').first()).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the PDF', exact: false }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`certificate-${number}-1-en.pdf`);
  const text = execFileSync('pdftotext', ['-layout', (await download.path())!, '-']).toString();
  expect(text).toContain('Academic Transcript');
  expect(text).toContain(`Test ${userId}`);
  // The registry's English names of the faculty and department, not the Japanese.
  expect(text).toContain('Faculty of Letters');
  expect(text).not.toContain('文学部');
  expect(text).toContain(`${number}-1`);

  // The same certificate as a Verifiable Credential: the transcript's facts, with its proof.
  const credentialDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the digital credential (VC)', exact: false }).click();
  const credential = JSON.parse(readFileSync((await (await credentialDownload).path())!, 'utf8'));
  expect(credential.type).toContain('VerifiableCredential');
  expect(credential.credentialSubject.title).toBe('Academic Transcript');
  expect(credential.proof.cryptosuite).toBe('eddsa-jcs-2022');

  // Its QR code's target, in English: the transcript as printed (this student has no course
  // results, and the page says so as the PDF does).
  await page.goto(qrTarget(readFileSync((await download.path())!)));
  await expect(page.getByRole('heading', { name: 'What the certificate says' })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('Valid: the university');
  await expect(page.getByText('No course results are recorded.')).toBeVisible();
});

test('a clerk processes a posted application and marks it sent; the student sees 発送済 with the tracking number, and cancels another for a refund', async ({ page }, info) => {
  // Two people's walks in one test (a student's, then a clerk's first sign-in with an
  // authenticator): on Firefox under the whole suite they ran past the default 60 s.
  test.slow();
  const { userId, email } = student(info.project.name, 43);
  await signIn(page, userId, email);
  putOnCard(userId, 1000);

  // A certificate by post, and one to collect at the counter.
  await page.goto('/e2e/certificates');
  await page.getByRole('group', { name: '在学証明書' }).getByLabel('和文の部数').fill('1');
  await page.getByLabel('郵送（国内）', { exact: false }).check();
  await page.getByLabel('郵便番号').fill('1130033');
  await page.getByLabel('都道府県').selectOption('東京都');
  await page.getByLabel('市区町村').fill('文京区');
  await page.getByLabel('町名・番地').fill('本郷7-3-1');
  await page.getByLabel('宛名').fill('試験 花子');
  await page.getByRole('button', { name: '確認画面へ' }).click();
  await page.getByRole('button', { name: '申請する' }).click();
  await expect(page.getByRole('heading', { name: '申請の詳細' })).toBeVisible();
  const posted = new URL(page.url()).searchParams.get('no')!;

  await page.goto('/e2e/certificates');
  await page.getByRole('group', { name: '在学証明書' }).getByLabel('和文の部数').fill('2');
  await page.getByLabel('学生課の窓口で受け取り', { exact: false }).check();
  await page.getByRole('button', { name: '確認画面へ' }).click();
  await page.getByRole('button', { name: '申請する' }).click();
  await expect(page.getByRole('heading', { name: '申請の詳細' })).toBeVisible();
  // 1000 − 310 − 400
  await page.goto('/e2e/card');
  await expect(page.getByText('290円', { exact: true })).toBeVisible();
  await page.goBack();
  await page.getByRole('button', { name: '申請を取り消す' }).click();
  await expect(page.getByText('申請を取り消しました', { exact: false })).toBeVisible();
  await expect(page.getByText('取消').first()).toBeVisible();
  await page.goto('/e2e/card');
  await expect(page.getByText('690円', { exact: true })).toBeVisible();

  // The office: a clerk finds the posted application in the queue and sends it.
  const login = `shori-${info.project.name}`;
  await firstSignIn(page, login, addMember(login, 'clerk'));
  await page.getByRole('link', { name: '証明書の申請' }).click();
  await expect(page.getByRole('heading', { name: '証明書の申請' })).toBeVisible();
  await page.getByLabel('ユーザID').fill(userId);
  await page.getByLabel('状況').selectOption('accepted');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await page.getByRole('link', { name: posted }).click();
  await expect(page.getByRole('heading', { name: `申請の処理 ${posted}` })).toBeVisible();
  await expect(page.getByText('〒113-0033')).toBeVisible();
  await page.getByRole('button', { name: '処理を開始する' }).click();
  await expect(page.getByText('状況を「処理中」にしました。')).toBeVisible();
  await page.getByLabel('追跡番号').fill('EJ123456789JP');
  await page.getByRole('button', { name: '発送済にする' }).click();
  await expect(page.getByText('状況を「発送済」にしました。')).toBeVisible();

  // The student sees it sent, with the tracking number, and has been told by mail.
  await page.goto(`/e2e/certificates/application?no=${posted}`);
  await expect(page.getByText('発送済').first()).toBeVisible();
  await expect(page.getByText('EJ123456789JP')).toBeVisible();
  await expect.poll(async () => (await mailsTo(email)).map((m) => m.text).join('\n')).toContain('EJ123456789JP');
});

test('電子証明書（PDF）: at phone size in Japanese, a student applies for an enrollment certificate as a PDF, a clerk issues it, and the student downloads it', async ({ page }, info) => {
  // The English walk above issues a PDF at both sizes; this one is the Japanese phone's.
  test.skip(info.project.name !== 'phone', 'walked in Japanese at phone size');
  test.slow();
  const { userId, email } = student(info.project.name, 44);
  await signIn(page, userId, email);
  putOnCard(userId, 500);

  await page.getByRole('link', { name: '各種証明書のオンライン申請' }).click();
  await page.getByRole('group', { name: '在学証明書' }).getByLabel('和文の部数').fill('1');
  await page.getByLabel('電子証明書（PDFをダウンロード）', { exact: false }).check();
  await page.getByRole('button', { name: '確認画面へ' }).click();
  await expect(page.getByRole('heading', { name: '申請内容の確認' })).toBeVisible();
  await expect(page.getByText('200円', { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: '申請する' }).click();
  await expect(page.getByRole('heading', { name: '申請の詳細' })).toBeVisible();
  const number = new URL(page.url()).searchParams.get('no')!;

  // The office: a clerk starts it and marks it issued, which makes the PDF.
  const login = `denshi-${info.project.name}`;
  await firstSignIn(page, login, addMember(login, 'clerk'));
  await page.goto(`/e2e/staff/application?no=${number}`);
  await expect(page.getByRole('heading', { name: `申請の処理 ${number}` })).toBeVisible();
  await page.getByRole('button', { name: '処理を開始する' }).click();
  await expect(page.getByText('状況を「処理中」にしました。')).toBeVisible();
  await page.getByRole('button', { name: '発行済にする（PDF）' }).click();
  await expect(page.getByText('状況を「発行済」にしました。')).toBeVisible();

  // The student is told by mail and downloads it: a real PDF in Japanese with their data.
  await expect.poll(async () => (await mailsTo(email)).map((m) => m.text).join('\n')).toContain('「発行済」');
  await page.goto(`/e2e/certificates/application?no=${number}`);
  await expect(page.getByText('発行済').first()).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'PDFをダウンロード — 在学証明書（和文）' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`certificate-${number}-1-ja.pdf`);
  const text = execFileSync('pdftotext', ['-layout', (await download.path())!, '-']).toString();
  expect(text).toContain('在学証明書');
  expect(text).toContain(`試験 ${userId}`);
  expect(text).toContain(`${number}-1`);

  // The student shares it with a company's HR for 30 days, agreeing to give their data.
  await page.getByRole('link', { name: '共有リンクを作る — 在学証明書（和文）' }).click();
  await expect(page.getByRole('heading', { name: '証明書の共有', level: 1 })).toBeVisible();
  await page.getByLabel('共有する相手（会社名・部署など）').fill('株式会社サンプル 人事部');
  await page.getByRole('button', { name: '同意して共有リンクを作る' }).click();
  await expect(page.getByText('共有するには、個人情報の提供に同意してください。')).toBeVisible();
  await page.getByLabel('共有する相手（会社名・部署など）').fill('株式会社サンプル 人事部');
  await page.getByLabel('上記に同意します').check();
  await page.getByRole('button', { name: '同意して共有リンクを作る' }).click();
  await expect(page.getByText('共有リンクを作りました。', { exact: false })).toBeVisible();
  const link = await page.getByLabel('共有リンク', { exact: true }).inputValue();
  expect(link).toMatch(/\/s\/[a-z2-7]{32}$/);

  // The recipient, in a browser of their own, sees the certificate as issued.
  const recipientContext = await page.context().browser()!.newContext({ locale: 'ja-JP' });
  const recipient = await recipientContext.newPage();
  await recipient.goto(link);
  await expect(recipient.getByText('株式会社サンプル 人事部', { exact: false }).first()).toBeVisible();
  await expect(recipient.getByText(`試験 ${userId}`)).toBeVisible();

  // The student sees that opening in the access log, and revokes the share.
  await page.reload();
  await expect(page.getByRole('cell', { name: '内容を表示' })).toBeVisible();
  await page.getByRole('button', { name: '共有を取り消す — 株式会社サンプル 人事部' }).click();
  await expect(page.getByText('共有を取り消しました。')).toBeVisible();
  await recipient.reload();
  await expect(recipient.getByRole('heading', { name: 'この共有は取り消されています' })).toBeVisible();
  await expect(recipient.getByText(`試験 ${userId}`)).toHaveCount(0);
  await recipientContext.close();

  // A verifier scans the QR code: its target, with the code in the fragment, opens at phone
  // size; the page takes the code out of the address and shows what the certificate printed.
  const pdf = readFileSync((await download.path())!);
  const target = qrTarget(pdf);
  expect(target).toMatch(/\/v\/[a-z2-7]{20}#[A-Z2-9]{12}$/);
  const [address, code] = target.split('#');
  await page.context().clearCookies();
  await page.goto(target);
  await expect(page.getByRole('heading', { name: '証明書の内容' })).toBeVisible();
  await expect(page.getByRole('status').first()).toContainText('有効：大学の電子署名を確認しました。');
  await expect(page.getByText(`試験 ${userId}`)).toBeVisible();
  expect(page.url()).toBe(address);
  expect(page.url()).not.toContain(code);

  // A copy with one byte changed, dropped on the page, is refused; the file as issued matches.
  const tampered = Buffer.from(pdf);
  tampered[Math.floor(tampered.length / 2)] ^= 0x01;
  const dropped = await page.evaluateHandle((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'tampered.pdf', { type: 'application/pdf' }));
    return transfer;
  }, Array.from(tampered));
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByText('発行時の内容と一致しません', { exact: false })).toBeVisible();
  await page.getByLabel('PDFファイルを選ぶ').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
  await expect(page.getByText('一致：発行時のPDFと同じファイルです。')).toBeVisible();
});

/** The address a certificate's QR code holds, read off its first page as a phone's camera would. */
function qrTarget(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'shomei-qr-'));
  writeFileSync(join(dir, 'certificate.pdf'), pdf);
  execFileSync('pdftoppm', ['-png', '-r', '200', '-f', '1', '-l', '1', join(dir, 'certificate.pdf'), join(dir, 'page')]);
  const png = readdirSync(dir).find((name) => name.endsWith('.png'))!;
  return execFileSync('zbarimg', ['--raw', '-q', join(dir, png)]).toString().trim();
}
