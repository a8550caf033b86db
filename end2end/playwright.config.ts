import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3100);
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 2525);
const SINK_HTTP_PORT = Number(process.env.E2E_SINK_HTTP_PORT ?? 2526);
const PORTAL_PORT = Number(process.env.E2E_PORTAL_PORT ?? 3200);
process.env.E2E_SINK_URL = `http://127.0.0.1:${SINK_HTTP_PORT}`;
// Another origin (and site) than the service's 127.0.0.1, as a university portal is.
process.env.E2E_PORTAL_URL = `http://localhost:${PORTAL_PORT}`;

/** Debian's Chromium: Playwright downloads no browser here. */
const chromium = {
  browserName: 'chromium' as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
};

/**
 * Debian's Firefox ESR, driven over WebDriver BiDi (Playwright's `moz-firefox` channel).
 * @playwright/test stays at 1.64.1: from 1.65 Playwright sends BiDi commands that Firefox ESR
 * does not know (`emulation.setMediaFeaturesOverride: unknown command`).
 */
const firefox = {
  browserName: 'firefox' as const,
  channel: 'moz-firefox',
  launchOptions: { executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr' },
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // No retries: a test that fails once fails the run. (The portal-frame login that sometimes
  // ended on the login page was a client-side navigation while the whole app hydrated; with
  // islands there is no client-side router, and it passed every run since.)
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'desktop', use: { ...chromium, viewport: { width: 1280, height: 800 } } },
    {
      name: 'phone',
      use: { ...chromium, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    },
    // Every walk runs in Chromium at both sizes. Firefox ESR, driven over WebDriver BiDi, takes
    // about four times as long per test here (~50 s against ~13 s), and every spec in it at
    // both sizes made the suite outgrow CI's 90 minutes. It runs what differs between engines:
    // the first login (also without JavaScript), the portal's frame and the CSP, and the
    // certificate walks (radio choices, the gateway's page, a download) at desktop size; the
    // layout and keyboard spec at phone size (Firefox has no `isMobile`; the phone's width and
    // height are what it is held to).
    {
      name: 'firefox-desktop',
      testMatch: /(first-login|portal-and-policy|certificates)\.spec\.ts/,
      use: { ...firefox, viewport: { width: 1280, height: 800 } },
    },
    {
      name: 'firefox-phone',
      testMatch: /phone-and-keyboard\.spec\.ts/,
      use: { ...firefox, viewport: { width: 390, height: 844 } },
    },
  ],
  webServer: [
    {
      command: 'node smtp-sink.mjs',
      url: `http://127.0.0.1:${SINK_HTTP_PORT}/`,
      env: { SMTP_PORT: String(SMTP_PORT), HTTP_PORT: String(SINK_HTTP_PORT) },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: 'node portal.mjs',
      url: `http://127.0.0.1:${PORTAL_PORT}/`,
      env: { PORTAL_PORT: String(PORTAL_PORT), SHOMEI_URL: `http://127.0.0.1:${PORT}` },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: './start-server.sh',
      url: `http://127.0.0.1:${PORT}/e2e/login`,
      env: {
        E2E_PORT: String(PORT),
        E2E_SMTP_PORT: String(SMTP_PORT),
        E2E_PORTAL_ORIGIN: `http://localhost:${PORTAL_PORT}`,
      },
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
    },
  ],
});
