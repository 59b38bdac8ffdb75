// The inbox, the dashboard and the canned answers in chromium: queues with their counts,
// every filter, the order by the next term with the time left in the tenant's working
// time, live updates when a colleague acts, the head's dashboard with its charts, the
// read register, sign-out, and the same inbox on a phone.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { tokenId } from '../../web/tokens.js';
import { launchBrowser, openAs, submit, type Person } from './support/browser.js';
import { classifyAt, message } from './support/incidents.js';
import { setPassword, startWorkplace, type Workplace } from './support/workplace.js';

// Tuesday 2026-11-24, 11:00 in Moscow. Triage is due 30 working minutes after detection (000 [9]).
const NOW = new Date('2026-11-24T08:00:00Z');
const EARLY = new Date('2026-11-24T07:00:00Z'); // 10:00: triage due 10:30, overdue now
const LATE = new Date('2026-11-24T07:55:00Z'); // 10:55: triage due 11:25, due soon

async function numbers(page: Page): Promise<string[]> {
  return page.locator('#inbox-list tr[data-number]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number') ?? ''));
}

/** Does what a person does to the filters, and waits until htmx has swapped a new list in. */
async function swapped(page: Page, act: () => Promise<unknown>): Promise<string[]> {
  await page.locator('#inbox-list').evaluate((el) => el.setAttribute('data-old', ''));
  await act();
  // A live refresh (server-sent events) may swap a list in first: wait until no htmx request,
  // swap or settle is left, so the list read is the one the filters asked for.
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { querySelector(selector: string): unknown } }).document;
    return doc.querySelector('#inbox-list:not([data-old])') !== null && doc.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') === null;
  });
  return numbers(page);
}

function filter(page: Page, name: string, value: string): Promise<string[]> {
  return swapped(page, () => page.locator(`form.filters select[name=${name}]`).selectOption(value));
}

describe('inbox, dashboard and canned answers in the browser', () => {
  let workplace: Workplace;
  let browser: Browser;
  let curator: Person;

  beforeAll(async () => {
    workplace = await startWorkplace('web_inbox', { now: () => NOW });
    const { store } = workplace;
    await classifyAt(store, [
      message('vk', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'a1', EARLY),
      message('telegram', 'На проспекте Победы огромная яма на дороге, администрация, отремонтируйте', 'a2', EARLY),
    ], EARLY);
    await classifyAt(store, [
      // A photo the network serves by URL, and one only the connector can fetch (a Telegram file id).
      message('vk', 'В Сосновке на Центральной улице не горят фонари, темно и страшно ходить', 'a3', LATE, [
        { type: 'photo', url: `${workplace.url}/favicon.ico?photo=1` }, { type: 'photo', url: 'telegram-file:AgADfonari' },
      ]),
      message('vk', 'Опять нет горячей воды на улице Ленина в доме 5, уже неделю', 'a1', LATE),
    ], LATE);
    for (const code of ['petrova', 'smirnov', 'glava', 'orlova']) await setPassword(store, code, [{ tenant: 'zarechensk', code }]);
    browser = await launchBrowser();
    curator = await openAs(browser, workplace.url, 'petrova');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await workplace?.close();
  }, 60_000);

  it('lists the queue by the next term with the time left in working time, and counts each queue', async () => {
    const page = curator.page;
    expect(await numbers(page)).toEqual(['1', '2', '3', '4']);
    expect(await page.locator('tr[data-number="1"] .due').textContent()).toContain('просрочено на 30 мин рабочего времени');
    expect(await page.locator('tr[data-number="3"] .due').textContent()).toContain('осталось 25 мин рабочего времени');
    expect(await page.locator('tr[data-number="1"] .due').getAttribute('class')).toContain('overdue');
    expect(await page.locator('tr[data-number="3"] .due').getAttribute('class')).toContain('soon');
    expect(await page.locator('.queues a[aria-current] .n').textContent()).toBe('4');
    expect(await page.locator('.queues a', { hasText: 'У исполнителя' }).locator('.n').textContent()).toBe('0');
    // The list shows no author data: that is in the card only.
    expect(await page.locator('#inbox-list').textContent()).not.toContain('Житель');
  });

  it('filters by network, due, importance, repeat and text, each swapped in without a reload', async () => {
    const page = curator.page;
    expect(await filter(page, 'network', 'telegram')).toEqual(['2']);
    expect(page.url()).toContain('network=telegram');
    expect(await filter(page, 'network', '')).toEqual(['1', '2', '3', '4']);
    expect(await filter(page, 'due', 'overdue')).toEqual(['1', '2']);
    expect(await filter(page, 'due', 'soon')).toEqual(['3', '4']);
    expect(await filter(page, 'due', '')).toHaveLength(4);
    const high = await filter(page, 'importance', 'high');
    const stored = await Promise.all([1, 2, 3, 4].map((n) => workplace.store.incidents.get('zarechensk', n)));
    expect(high).toEqual(stored.filter((i) => i!.importance === 'high').map((i) => String(i!.number)));
    await filter(page, 'importance', '');
    const repeats = stored.filter((i) => i!.repeatOf !== null).map((i) => String(i!.number));
    expect(await filter(page, 'repeat', 'yes')).toEqual(repeats);
    await filter(page, 'repeat', '');
    await page.fill('form.filters input[name=q]', 'фонари');
    expect(await swapped(page, () => page.press('form.filters input[name=q]', 'Enter'))).toEqual(['3']);
    // The same view from its address, as after a reload or a shared link.
    await page.goto(`${workplace.url}/inbox?q=${encodeURIComponent('№ 2')}`);
    expect(await numbers(page)).toEqual(['2']);
  });

  it('filters by topic and department once the curator has routed', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/2`);
    expect(await submit(page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('дороги');
      await form.locator('select[name=department1]').selectOption('roads');
    })).toBe(303);
    await page.goto(`${workplace.url}/inbox?queue=executor`);
    expect(await numbers(page)).toEqual(['2']);
    expect(await filter(page, 'department', 'zhkh')).toEqual([]);
    expect(await filter(page, 'department', 'roads')).toEqual(['2']);
    expect(await filter(page, 'topic', 'дороги')).toEqual(['2']);
    expect(await page.locator('tr[data-number="2"]').textContent()).toContain('Соколов Игорь Николаевич');
  });

  it('refreshes by itself when a colleague takes an item, and shows who has a card open', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/inbox`);
    expect(await numbers(page)).toEqual(['1', '3', '4']);
    const colleague = await openAs(browser, workplace.url, 'smirnov');
    await colleague.page.goto(`${workplace.url}/incidents/1`);
    // The list refreshes (server-sent events + htmx) with the colleague's name on the row.
    await page.locator('tr[data-number="1"] .presence').waitFor();
    expect(await page.locator('tr[data-number="1"] .presence').textContent()).toContain('Смирнов Павел Игоревич');
    expect(await submit(colleague.page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('ЖКХ');
      await form.locator('select[name=department1]').selectOption('zhkh');
    })).toBe(303);
    await page.locator('#inbox-list tr[data-number="1"]').waitFor({ state: 'detached' });
    expect(await numbers(page)).toEqual(['3', '4']);
    expect(await page.locator('.queues a', { hasText: 'У исполнителя' }).locator('.n').textContent()).toBe('2');
    expect(colleague.problems).toEqual([]);
    await colleague.context.close();
  });

  it('keeps canned answers: add, edit, delete; an executor may not manage them', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/templates`);
    await page.fill('input[name=title]', 'Дороги: яма');
    await page.fill('textarea[name=text]', 'Яма включена в план ямочного ремонта.');
    await Promise.all([page.waitForURL(/saved=1/), page.click('.template-editor button[type=submit]')]);
    await page.click('text=изменить');
    await page.fill('textarea[name=text]', 'Яма будет заделана до 1 декабря 2026 года.');
    await page.selectOption('select[name=topic]', 'дороги');
    await Promise.all([page.waitForURL(/saved=1/), page.click('.template-editor button[type=submit]')]);
    expect(await page.locator('.templates').textContent()).toContain('Яма будет заделана до 1 декабря 2026 года.');
    expect((await workplace.web.cannedAnswers('zarechensk')).map((t) => [t.title, t.topic])).toEqual([['Дороги: яма', 'дороги']]);
    // An empty title is refused with the field named.
    await page.fill('input[name=title]', ' ');
    await page.fill('textarea[name=text]', 'текст');
    await page.click('.template-editor button[type=submit]');
    expect(await page.locator('.error').textContent()).toContain('Название: поле не заполнено');
    await page.goto(`${workplace.url}/templates`);
    await Promise.all([page.waitForURL(/deleted=1/), page.click('.templates button.danger')]);
    expect(await workplace.web.cannedAnswers('zarechensk')).toEqual([]);
    const executor = await openAs(browser, workplace.url, 'orlova');
    const refused = await executor.page.goto(`${workplace.url}/templates`);
    expect(refused?.status()).toBe(403);
    await executor.context.close();
  });

  it('records every view of a card in the read register, shown to curators', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/3`);
    await page.reload();
    const reads = await workplace.web.readsOf('zarechensk', 3, 10);
    expect(reads.filter((r) => r.who === 'petrova')).toHaveLength(2);
    expect(reads.every((r) => r.personalData)).toBe(true);
    expect(await page.locator('.reads').textContent()).toContain('24.11.2026 11:00 · Петрова Анна Сергеевна');
    expect(await page.locator('.author').textContent()).toContain('Житель a3');
    // The photos the store has: shown where the network gives a URL, named where it does not.
    expect(await page.locator('.message .attachments img').getAttribute('src')).toBe(`${workplace.url}/favicon.ico?photo=1`);
    expect(await page.locator('.message .attachments').textContent()).toContain('telegram-file:AgADfonari');
    expect(await page.locator('.message a', { hasText: 'оригинал' }).getAttribute('href')).toMatch(/^https:\/\/vk\.com\/wall-218475963_1377\?reply=/);
  });

  it('shows the head the dashboard: volumes by topic and network, overdue terms by department and person, charts', async () => {
    // A message from yesterday nobody triaged: its terms have run out.
    await classifyAt(workplace.store, [message('vk', 'Во дворе дома 12 на улице Мира не вывозят мусор, администрация, примите меры', 'a5', new Date('2026-11-23T07:00:00Z'))], new Date('2026-11-23T07:00:00Z'));
    const head = await openAs(browser, workplace.url, 'glava');
    const page = head.page;
    await page.click('nav >> text=Сводка');
    expect(await page.locator('h1').textContent()).toContain('Сводка на 24.11.2026 11:00');
    expect(await page.locator('.tile').first().textContent()).toContain('4 сообщений сегодня');
    expect(await page.locator('.tile').nth(1).textContent()).toContain('5 за месяц');
    expect(await page.locator('.charts svg').count()).toBe(7);
    expect(await page.locator('.charts').textContent()).toContain('ВКонтакте');
    expect(await page.locator('.charts').textContent()).toContain('Telegram');
    // № 1 and № 2 were routed, № 3 and № 4 have time left: only yesterday's № 5 is overdue, with the curators.
    const overdue = await page.locator('section', { hasText: 'Просроченные сроки' }).locator('tbody tr').allTextContents();
    expect(overdue.length).toBeGreaterThan(0);
    for (const row of overdue) expect(row).toMatch(/^№ 5.*не распределено.*куратор$/);
    expect(overdue.join('\n')).toContain('распределение обращения');
    expect(await page.locator('.charts').textContent()).toContain('не распределено');
    // The head reads a card but makes no decision in it.
    await page.goto(`${workplace.url}/incidents/3`);
    expect(await page.locator('.actions').textContent()).toContain('решения принимают куратор и исполнитель');
    expect(await page.locator('form.action').count()).toBe(0);
    expect(head.problems).toEqual([]);
    await head.context.close();
  });

  it('reads on a phone: the inbox table becomes a list of cards', async () => {
    const phone = await openAs(browser, workplace.url, 'petrova', undefined, { width: 390, height: 800 });
    const display = await phone.page.evaluate(`getComputedStyle(document.querySelector('table.inbox thead')).display`);
    expect(display).toBe('none');
    const width = await phone.page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(390);
    await phone.context.close();
  });

  it('signs out: the session ends in the store, and the inbox asks for sign-in again', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/inbox`);
    const cookie = (await curator.context.cookies()).find((c) => c.name === 'otklik_session')!;
    // HttpOnly (no script reads it) and SameSite (another site's form does not carry it).
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await workplace.web.findSession(tokenId(cookie.value))).not.toBeNull();
    await Promise.all([page.waitForURL(/\/login\?bye=1/), page.click('.logout button')]);
    expect(await workplace.web.findSession(tokenId(cookie.value))).toBeNull();
    expect(await page.locator('.notice').textContent()).toContain('Вы вышли из рабочего места.');
    await page.goto(`${workplace.url}/inbox`);
    expect(page.url()).toContain('/login');
    expect(curator.problems).toEqual([]);
  });
});
