// Issue 11, "Done when": a sandbox message from triage to a published answer in a real
// browser (Debian's chromium), with the executor and the curator as two sign-ins, a
// canned answer in the draft, a return and a rework, and the real publisher worker
// posting the approved answer to the sandbox.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { classify, vkMessage } from '../workers/support/staff-bot-setup.js';
import { testStoreUri } from '../support/store.js';
import { startWorker, waitUntil, type WorkerProcess } from '../support/worker-processes.js';
import { launchBrowser, openAs, submit, type Person } from './support/browser.js';
import { setPassword, startWorkplace, type Workplace } from './support/workplace.js';

// Wednesday 2026-11-25 09:30 in Moscow: the workflow decides at this instant.
const NOW = new Date('2026-11-25T06:30:00Z');
const TEMPLATE = 'Специалисты управляющей компании проверили подачу горячей воды; ремонт будет завершён в течение двух дней.';

describe('a message from triage to a published answer, in the browser', () => {
  let workplace: Workplace;
  let sandbox: Sandbox;
  let publisher: WorkerProcess;
  let browser: Browser;
  let curator: Person;
  let executor: Person;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    workplace = await startWorkplace('web_flow', { now: () => NOW, sandboxUrl: sandbox.url });
    await classify(workplace.store, [vkMessage('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov')]);
    await setPassword(workplace.store, 'petrova', [{ tenant: 'zarechensk', code: 'petrova' }]);
    await setPassword(workplace.store, 'orlova', [{ tenant: 'zarechensk', code: 'orlova' }]);
    publisher = startWorker(['publisher'], { MONGODB_URI: testStoreUri(), OTKLIK_DB_NAME: workplace.store.dbName, OTKLIK_SANDBOX_URL: sandbox.url });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await publisher?.stop();
    await sandbox?.stop();
    await workplace?.close();
  }, 60_000);

  afterEach(() => {
    for (const person of [curator, executor]) if (person) expect(person.problems).toEqual([]);
  });

  it('signs the curator in with a password and lists the new message in «На распределении»', async () => {
    curator = await openAs(browser, workplace.url, 'petrova');
    const page = curator.page;
    expect(await page.locator('.who').textContent()).toContain('Петрова Анна Сергеевна');
    expect(await page.locator('.queues a[aria-current]').textContent()).toContain('На распределении');
    const row = page.locator('tr[data-number="1"]');
    expect(await row.textContent()).toContain('нет горячей воды');
    // Sorted by the next term, shown in the tenant's working time.
    expect(await row.locator('.due').textContent()).toMatch(/просрочено на \d+ ч( \d+ мин)? рабочего времени/);
  });

  it('the curator keeps a canned answer for the topic', async () => {
    const page = curator.page;
    await page.click('text=Шаблоны ответов');
    await page.fill('input[name=title]', 'Горячая вода: ремонт');
    await page.selectOption('select[name=topic]', 'ЖКХ');
    await page.fill('textarea[name=text]', TEMPLATE);
    await Promise.all([page.waitForURL(/saved=1/), page.click('.template-editor button[type=submit]')]);
    expect(await page.locator('.templates').textContent()).toContain('Горячая вода: ремонт');
  });

  it('triage: the curator routes it to the housing department; the executor is chosen by routing', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/1`);
    // The classifier's verdict, with the words it found marked in the message.
    expect(await page.locator('.verdict').textContent()).toContain('Тема: ЖКХ');
    expect(await page.locator('.message mark').first().textContent()).toMatch(/Ленина/i);
    expect(await page.locator('.author').textContent()).toContain('Иван Смирнов');
    const status = await submit(page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('ЖКХ');
      await form.locator('select[name=department1]').selectOption('zhkh');
      // Kuznetsov is first in the department's order; the curator picks Orlova.
      await form.locator('select[name=assignee]').selectOption('orlova');
    });
    expect(status).toBe(303);
    expect(await page.locator('.notice').textContent()).toContain('Обращение направлено исполнителю.');
    expect(await page.locator('.summary').textContent()).toContain('Орлова Мария Андреевна');
    const stored = await workplace.store.incidents.get('zarechensk', 1);
    expect(stored).toMatchObject({ state: 'assigned', assignee: 'orlova', departments: ['zhkh'], topic: 'ЖКХ' });
    expect(stored!.history.at(-1)).toMatchObject({ who: 'petrova', from: 'triage', to: 'assigned' });
  });

  it('the executor signs in separately, takes it, and drafts with the canned answer inserted', async () => {
    executor = await openAs(browser, workplace.url, 'orlova');
    const page = executor.page;
    expect(await page.locator('.queues a[aria-current]').textContent()).toContain('У исполнителя');
    await page.click('tr[data-number="1"] a');
    expect(await submit(page, 'take')).toBe(303);
    expect(await page.locator('.summary').textContent()).toContain('Готовится ответ');
    const form = page.locator('form[data-command="submit-draft"]');
    await form.locator('textarea[name=text]').fill('Здравствуйте!');
    await form.locator('select[name=template]').selectOption({ label: 'Горячая вода: ремонт (ЖКХ)' });
    // htmx swaps the text area: what was typed stays, the template follows it.
    await page.locator('#draft-text').evaluate((el) => el.setAttribute('data-old', ''));
    await form.locator('button', { hasText: 'Вставить шаблон' }).click();
    await page.locator('#draft-text:not([data-old])').waitFor();
    expect(await form.locator('textarea[name=text]').inputValue()).toBe(`Здравствуйте!\n\n${TEMPLATE}`);
    expect(await submit(page, 'submit-draft')).toBe(303);
    expect(await page.locator('.notice').textContent()).toContain('Проект направлен на согласование');
    expect(await page.locator('.draft').first().textContent()).toContain(TEMPLATE);
  });

  it('the curator returns it with a comment; the executor reworks it', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/1`);
    expect(await submit(page, 'return-for-rework', (form) => form.locator('textarea[name=comment]').fill('Укажите точную дату окончания ремонта.'))).toBe(303);
    expect(await page.locator('.summary').textContent()).toContain('На доработке');

    const ep = executor.page;
    await ep.goto(`${workplace.url}/incidents/1`);
    expect(await ep.locator('.draft .review').first().textContent()).toContain('Укажите точную дату окончания ремонта.');
    expect(await submit(ep, 'submit-draft', (form) => form.locator('textarea[name=text]').fill(`Здравствуйте! ${TEMPLATE} Подача горячей воды будет восстановлена 27 ноября 2026 года.`))).toBe(303);
  });

  it('the curator approves and the publisher posts the answer in place; the card says so', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/1`);
    expect(await submit(page, 'approve')).toBe(303);
    expect(await page.locator('.notice').textContent()).toContain('Ответ согласован и передан на публикацию.');
    await waitUntil('the publisher to post the answer', async () => (await workplace.store.incidents.get('zarechensk', 1))?.state === 'published', 60_000, 200);
    const posts = sandbox.recorded.filter((p) => p.text.includes('будет восстановлена 27 ноября 2026 года'));
    expect(posts).toEqual([expect.objectContaining({ network: 'vk', method: 'wall.createComment', target: 'wall-218475963_1377' })]);
    await page.reload();
    expect(await page.locator('.summary').textContent()).toContain('Опубликовано');
    expect(await page.locator('.history').textContent()).toContain('Ответ опубликован');
  });
});
