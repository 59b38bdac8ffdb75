// Debian's chromium driven by playwright-core (no browser download): the flags keep it
// from reaching the network or doing background work on a loaded CI machine. Playwright
// gives every launch a fresh temporary profile (its --user-data-dir), deleted on close;
// each person signs in in a context of their own, with their own cookies.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PASSWORD } from './workplace.js';

export const CHROMIUM = process.env.OTKLIK_CHROMIUM ?? '/usr/bin/chromium';

/** Only a last guard: every step waits for a condition (a page, a text), never for a time. */
const GUARD_MS = 60_000;

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Person {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught script errors and failed requests on the pages: a test expects none. */
  readonly problems: string[];
}

export async function openAs(browser: Browser, url: string, login: string, password = PASSWORD, viewport = { width: 1280, height: 900 }): Promise<Person> {
  const context = await browser.newContext({ viewport, locale: 'ru-RU' });
  context.setDefaultTimeout(GUARD_MS);
  context.setDefaultNavigationTimeout(GUARD_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  // Anything the page's Content-Security-Policy blocked (an inline style or script) is a defect.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    // Leaving a page cancels its open event stream and any check in flight: not a problem.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  await page.goto(`${url}/login`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/(inbox|tenant)/), page.click('form[action="/login"] button[type=submit]')]);
  return { context, page, problems };
}

/** Submits the card's form of one command and waits for the page that answers it. */
export async function submit(page: Page, command: string, fill: (form: ReturnType<Page['locator']>) => Promise<unknown> = async () => undefined): Promise<number> {
  const form = page.locator(`form[data-command="${command}"]`);
  // Folded forms are opened first, as a person would.
  const details = page.locator('details.action-box', { has: form });
  if ((await details.count()) > 0 && (await details.getAttribute('open')) === null) await details.locator('summary').click();
  await fill(form);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes(`/commands/${command}`)),
    form.locator('button[type=submit]').last().click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}
