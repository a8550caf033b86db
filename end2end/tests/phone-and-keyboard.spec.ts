import { type Page } from '@playwright/test';
import { expect, test } from './fixtures/checked';
import { LoginPage, openMenu, signIn, student } from './fixtures/pages';

/**
 * The contrast of the focus ring of the element that has the focus against what it is drawn
 * on: the background of the nearest ancestor that has one (the ring lies outside the element).
 */
async function focusRingContrast(page: Page) {
  return page.evaluate(() => {
    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) => {
      const [R, G, B] = [r, g, b].map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const focused = document.activeElement as HTMLElement;
    const ring = rgb(getComputedStyle(focused).outlineColor);
    let behind = focused.parentElement;
    let background = [255, 255, 255];
    while (behind) {
      const color = rgb(getComputedStyle(behind).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] > 0)) {
        background = color.slice(0, 3);
        break;
      }
      behind = behind.parentElement;
    }
    const [light, dark] = [luminance(ring), luminance(background)].sort((a, b) => b - a);
    const label = `${focused.tagName} ${focused.getAttribute('name') ?? focused.textContent?.trim()}`;
    return { label, ratio: (light + 0.05) / (dark + 0.05), style: getComputedStyle(focused).outlineStyle };
  });
}

test('the focus ring stands out at least 3:1 from everything it is drawn on', async ({ page, pageChecks }) => {
  await new LoginPage(page).goto();
  await pageChecks.settle();

  // The skip link, the header's links, the fields on the page, the button and the links
  // under them: every stop of the Tab key, until it leaves the page.
  const visited: string[] = [];
  for (let step = 0; step < 20; step++) {
    await page.keyboard.press('Tab');
    const { label, ratio, style } = await focusRingContrast(page);
    if (label.startsWith('BODY')) break;
    visited.push(label);
    expect(style, label).not.toBe('none');
    expect(ratio, label).toBeGreaterThanOrEqual(3);
  }
  expect(visited.length, visited.join(', ')).toBeGreaterThanOrEqual(8);
});

test('a signed-in student reads the manual with the menu at hand and a way home', async ({ page }, info) => {
  const { userId, email } = student(info.project.name, 30);
  await signIn(page, userId, email);

  await openMenu(page, 'マニュアル');

  await expect(page.getByRole('heading', { name: '操作マニュアル' }).first()).toBeVisible();
  await page.getByRole('link', { name: 'ホームへ戻る' }).click();
  await expect(page).toHaveURL(/\/e2e\/home$/);
  await openMenu(page, 'マニュアル');
  await page.getByRole('button', { name: 'メニュー' }).click();
  await page.getByRole('button', { name: 'ログアウト' }).click();
  await expect(page).toHaveURL(/\/e2e\/login$/);
});

test('the menu closes on a tap outside it and when Tab leaves it', async ({ page, pageChecks }, info) => {
  const { userId, email } = student(info.project.name, 31);
  await signIn(page, userId, email);
  await pageChecks.settle();
  const menu = page.getByRole('button', { name: 'メニュー' });
  const firstItem = page.getByRole('link', { name: 'メールアドレス変更' });

  await menu.click();
  await expect(firstItem).toBeVisible();
  // A tap (a click on a desktop) at the bottom left of the page, well away from the menu.
  const { height } = page.viewportSize()!;
  if (info.project.use.hasTouch) await page.touchscreen.tap(5, height - 5);
  else await page.mouse.click(5, height - 5);
  await expect(firstItem).toBeHidden();

  await menu.click();
  await expect(firstItem).toBeFocused();
  // Three links and the logout button, then out of the menu.
  for (let step = 0; step < 4; step++) await page.keyboard.press('Tab');
  await expect(firstItem).toBeHidden();
  await expect(page.locator('details.menu')).toHaveJSProperty('open', false);
});

for (const width of [390, 320]) {
  test(`at ${width} px the header keeps メニュー at the top right, on one row`, async ({ page }, info) => {
    const { userId, email } = student(info.project.name, width === 390 ? 32 : 33);
    await signIn(page, userId, email);
    await page.setViewportSize({ width, height: 844 });

    const header = (await page.locator('.site-header').boundingBox())!;
    const brand = (await page.locator('.brand').boundingBox())!;
    const menu = (await page.getByRole('button', { name: 'メニュー' }).boundingBox())!;

    expect(menu.y, 'メニュー on the row of the names').toBeLessThan(brand.y + brand.height);
    expect(menu.y + menu.height).toBeGreaterThan(brand.y);
    // The page's own width: a browser with classic scrollbars (Firefox) gives a page taller than
    // the screen a scrollbar, and the header ends where the scrollbar starts.
    const pageWidth = await page.evaluate(() => document.documentElement.clientWidth);
    expect(menu.x + menu.width, 'at the right edge').toBeGreaterThan(pageWidth - 24);
    expect(pageWidth).toBeGreaterThan(width - 20);
    expect(header.height, 'the header leaves the screen to the page').toBeLessThanOrEqual(96);
  });
}

test('on a 390 × 844 phone the login button is on the first screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await new LoginPage(page).goto();

  const button = (await page.getByRole('button', { name: 'ログイン', exact: true }).boundingBox())!;

  expect(button.y + button.height).toBeLessThanOrEqual(844);
  await expect(page.getByText('E2E大学の注意事項')).toBeAttached();
});

test('a field passed through empty stays quiet until the student has typed in it', async ({ page, pageChecks }) => {
  await new LoginPage(page).goto();
  await pageChecks.settle();
  const userId = page.getByLabel('ユーザID', { exact: true });
  const password = page.getByLabel('パスワード', { exact: true });
  // The islands check fields once they are awake.
  await page.waitForLoadState('networkidle');

  await userId.focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');

  await expect(page.getByText('入力してください。', { exact: true })).toHaveCount(0);
  await expect(userId).toHaveAttribute('aria-invalid', 'false');
  await password.fill('x');
  await password.fill('');
  await password.blur();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('入力してください。', { exact: true })).toHaveCount(1);
});
