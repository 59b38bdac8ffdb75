// The topic guide where the curator chooses a topic, in a real browser (Debian's
// chromium): the card's topic select shows what the chosen topic covers and what does not
// belong there, follows the selection, and is there without JavaScript too; the
// «Рубрикатор тем» page lists the general rules and every topic of the tenant.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { TOPIC_GUIDE, TOPIC_GUIDE_RULES } from '../../classifiers/data/topic-guide.js';
import { classify, vkMessage } from '../workers/support/staff-bot-setup.js';
import { launchBrowser, openAs, type Person } from './support/browser.js';
import { exampleTenant, PASSWORD, setPassword, startWorkplace, type Workplace } from './support/workplace.js';

// Wednesday 2026-11-25 09:30 in Moscow: the workflow decides at this instant.
const NOW = new Date('2026-11-25T06:30:00Z');
/** A topic of the tenant's own, absent from the guide; its name would be markup if not escaped. */
const OWN_TOPIC = 'Ярмарки <b>выходного</b> & «акции»';

describe('the topic guide in the workplace', () => {
  let workplace: Workplace;
  let browser: Browser;
  let curator: Person;
  const people: Person[] = [];

  beforeAll(async () => {
    workplace = await startWorkplace('web_topic_guide', { now: () => NOW });
    const tenant = exampleTenant();
    // Before any page is drawn, so the workplace reads the tenant's topics with this one.
    await workplace.store.tenants.importFile({ ...tenant, topics: [...tenant.topics, OWN_TOPIC] });
    await classify(workplace.store, [vkMessage('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov')]);
    await setPassword(workplace.store, 'petrova', [{ tenant: 'zarechensk', code: 'petrova' }]);
    await setPassword(workplace.store, 'orlova', [{ tenant: 'zarechensk', code: 'orlova' }]);
    browser = await launchBrowser();
    curator = await openAs(browser, workplace.url, 'petrova');
    people.push(curator);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await workplace?.close();
  }, 60_000);

  afterEach(() => {
    // No script errors, no failed requests, nothing the Content-Security-Policy blocked.
    for (const person of people) expect(person.problems).toEqual([]);
  });

  it('the card shows the suggested topic\'s guide under the select, and the guide follows the selection', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/1`);
    const form = page.locator('form[data-command="confirm-and-route"]');
    const guide = form.locator('#topic-guide');
    expect(await form.locator('select[name=topic]').inputValue()).toBe('ЖКХ');
    expect(await guide.locator('.guide-covers').textContent()).toContain(TOPIC_GUIDE['ЖКХ'].covers);
    expect(await guide.locator('.guide-suggested').isVisible()).toBe(true);
    expect(await guide.locator('.guide-not-here').textContent()).toContain(`Не сюда: ${TOPIC_GUIDE['ЖКХ'].notHere}`);
    // Each option carries its topic's «covers» as a tooltip.
    expect(await form.locator('option[value="дороги"]').getAttribute('title')).toBe(TOPIC_GUIDE['дороги'].covers);

    await form.locator('select[name=topic]').selectOption('дороги');
    await guide.locator('.guide-topic', { hasText: 'дороги' }).waitFor();
    expect(await guide.locator('.guide-covers').textContent()).toContain(TOPIC_GUIDE['дороги'].covers);
    expect(await guide.locator('.guide-covers').textContent()).not.toContain(TOPIC_GUIDE['ЖКХ'].covers);
    expect(await guide.locator('.guide-not-here').textContent()).toContain(TOPIC_GUIDE['дороги'].notHere);
    // Not the classifier's suggestion any more: the mark goes.
    expect(await guide.locator('.guide-suggested').isVisible()).toBe(false);

    // The tenant's own topic has no entry: said so, and «Не сюда» is not shown empty.
    await form.locator('select[name=topic]').selectOption(OWN_TOPIC);
    await guide.locator('.guide-topic', { hasText: OWN_TOPIC }).waitFor();
    expect(await guide.locator('.guide-covers').textContent()).toContain('описание не задано');
    expect(await guide.locator('.guide-not-here').isVisible()).toBe(false);
    expect(await form.locator(`option[value="${OWN_TOPIC.replace(/"/g, '\\"')}"]`).getAttribute('title')).toBe('описание не задано');
  });

  it('«Рубрикатор тем» in the navigation lists the general rules and every topic of the tenant with its guide', async () => {
    const page = curator.page;
    await Promise.all([page.waitForURL(/\/topics$/), page.click('.top nav >> text=Рубрикатор тем')]);
    expect(await page.locator('h1').textContent()).toBe('Рубрикатор тем');
    expect(await page.locator('.top nav a[aria-current]').textContent()).toBe('Рубрикатор тем');
    expect(await page.locator('.guide-rules li').allTextContents()).toEqual([...TOPIC_GUIDE_RULES]);
    const entries = page.locator('.guide-entry');
    expect(await entries.locator('h3').allTextContents()).toEqual([...exampleTenant().topics, OWN_TOPIC]);
    const ecology = entries.filter({ has: page.locator('h3', { hasText: /^экология и отходы$/ }) });
    expect(await ecology.locator('.guide-covers').textContent()).toBe(TOPIC_GUIDE['экология и отходы'].covers);
    expect(await ecology.locator('.guide-not-here').textContent()).toBe(`Не сюда: ${TOPIC_GUIDE['экология и отходы'].notHere}`);
    // The tenant's own topic: its name as text (escaped, not markup), and no description.
    const own = entries.last();
    expect(await own.locator('h3').textContent()).toBe(OWN_TOPIC);
    expect(await own.locator('h3 b').count()).toBe(0);
    expect(await own.locator('.missing').textContent()).toBe('описание не задано');
  });

  it('without JavaScript the card still shows the guide of the topic the form opens with', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ru-RU' });
    try {
      const page = await context.newPage();
      await page.goto(`${workplace.url}/login`);
      await page.fill('input[name=login]', 'petrova');
      await page.fill('input[name=password]', PASSWORD);
      await Promise.all([page.waitForURL(/\/inbox/), page.click('form[action="/login"] button[type=submit]')]);
      await page.goto(`${workplace.url}/incidents/1`);
      const guide = page.locator('form[data-command="confirm-and-route"] #topic-guide');
      expect(await guide.locator('.guide-covers').textContent()).toContain(TOPIC_GUIDE['ЖКХ'].covers);
      expect(await guide.locator('.guide-not-here').textContent()).toContain(TOPIC_GUIDE['ЖКХ'].notHere);
      expect(await guide.locator('a[href="/topics"]').count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('the page follows the other pages\' access rules: signed-out people are sent to sign in; an executor reads it too', async () => {
    const signedOut = await fetch(`${workplace.url}/topics`, { redirect: 'manual' });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/login');
    expect(await signedOut.text()).not.toContain(TOPIC_GUIDE['ЖКХ'].covers);

    const executor = await openAs(browser, workplace.url, 'orlova');
    people.push(executor);
    await Promise.all([executor.page.waitForURL(/\/topics$/), executor.page.click('.top nav >> text=Рубрикатор тем')]);
    expect(await executor.page.locator('.guide-entry').count()).toBe(exampleTenant().topics.length + 1);
  });
});
