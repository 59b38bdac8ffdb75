// What the workplace refuses, in a real browser: an executor reading or acting on another
// department's incident, forged forms (no CSRF token; another tenant's incident or a form
// drawn for another tenant), and a stale form after a colleague acted — each refused with
// a clear Russian message and nothing written.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { classify, vkMessage } from '../workers/support/staff-bot-setup.js';
import { launchBrowser, openAs, submit, type Person } from './support/browser.js';
import { setPassword, startWorkplace, type Workplace } from './support/workplace.js';

const NOW = new Date('2026-11-25T06:30:00Z');

/** The hidden fields of a form on the page, as a browser would send them. */
async function formFields(page: Page, command: string): Promise<Record<string, string>> {
  const form = page.locator(`form[data-command="${command}"]`);
  const names = await form.locator('input[type=hidden]').evaluateAll((inputs) => inputs.map((i) => [i.getAttribute('name') ?? '', i.getAttribute('value') ?? '']));
  return Object.fromEntries(names);
}

describe('refusals: another department, forged forms, stale forms', () => {
  let workplace: Workplace;
  let browser: Browser;
  let curator: Person;

  beforeAll(async () => {
    workplace = await startWorkplace('web_guards', { now: () => NOW, secondTenant: true });
    const { store } = workplace;
    // № 1 (housing) and № 2 (roads) in Зареченск; № 1 in Озёрный too.
    await classify(store, [
      vkMessage('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov'),
      vkMessage('2', 'На проспекте Победы огромная яма на дороге, администрация, отремонтируйте', 'petrov'),
    ]);
    await classify(store, ['не вывозят мусор уже неделю', 'не горят фонари', 'яма у остановки', 'нет отопления в школе'].map((text, k) => vkMessage(`9${k}`, `В Озёрном на улице Мира ${text}`, `sidorov${k}`)), 'ozerny');
    await setPassword(store, 'petrova', [{ tenant: 'zarechensk', code: 'petrova' }, { tenant: 'ozerny', code: 'petrova' }]);
    await setPassword(store, 'smirnov', [{ tenant: 'zarechensk', code: 'smirnov' }]);
    await setPassword(store, 'sokolov', [{ tenant: 'zarechensk', code: 'sokolov' }]);
    await setPassword(store, 'orlova', [{ tenant: 'zarechensk', code: 'orlova' }]);
    browser = await launchBrowser();
    // Petrova works in two municipalities: she picks one after signing in.
    curator = await openAs(browser, workplace.url, 'petrova');
    expect(curator.page.url()).toContain('/tenant');
    await Promise.all([curator.page.waitForURL(/\/inbox/), curator.page.click('button:has-text("Администрация городского округа Зареченск")')]);
    // Routed by the curator: № 1 to housing (Orlova), № 2 to roads (Sokolov).
    for (const [n, dept, topic] of [[1, 'zhkh', 'ЖКХ'], [2, 'roads', 'дороги']] as const) {
      await curator.page.goto(`${workplace.url}/incidents/${n}`);
      expect(await submit(curator.page, 'confirm-and-route', async (form) => {
        await form.locator('select[name=topic]').selectOption(topic);
        await form.locator('select[name=department1]').selectOption(dept);
        if (dept === 'zhkh') await form.locator('select[name=assignee]').selectOption('orlova');
      })).toBe(303);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await workplace?.close();
  }, 60_000);

  it('an executor sees only their department: another one\'s incident is refused, to read and to act on, and no read is recorded', async () => {
    const roads = await openAs(browser, workplace.url, 'sokolov');
    const page = roads.page;
    const listed = await page.locator('tr[data-number]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-number')));
    expect(listed).toEqual(['2']);
    expect(await page.textContent('main')).toContain('Показаны обращения вашего подразделения');
    const response = await page.goto(`${workplace.url}/incidents/1`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('main')).toContain('Обращение № 1 не найдено или недоступно вам');
    expect(await page.textContent('body')).not.toContain('Иван Смирнов');
    // A hand-made form with his own valid token: refused the same way, nothing changes.
    await page.goto(`${workplace.url}/incidents/2`);
    const fields = await formFields(page, 'take');
    const forged = await page.request.post(`${workplace.url}/incidents/1/commands/take`, { form: { ...fields, state: 'assigned', version: '2' }, maxRedirects: 0 });
    expect(forged.status()).toBe(404);
    expect((await workplace.store.incidents.get('zarechensk', 1))!.state).toBe('assigned');
    const reads = await workplace.web.readsOf('zarechensk', 1, 50);
    expect(reads.map((r) => r.who)).not.toContain('sokolov');
    expect((await workplace.web.readsOf('zarechensk', 2, 50)).map((r) => r.who)).toContain('sokolov');
    await roads.context.close();
  });

  it('a form without the CSRF token is refused and changes nothing', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/1`);
    const fields = await formFields(page, 'reassign');
    const before = await workplace.store.incidents.get('zarechensk', 1);
    const { _csrf: _dropped, ...withoutToken } = fields;
    for (const form of [withoutToken, { ...fields, _csrf: 'x'.repeat(43) }]) {
      const response = await page.request.post(`${workplace.url}/incidents/1/commands/reassign`, { form: { ...form, assignee: 'kuznetsov', comment: 'подделка' }, maxRedirects: 0 });
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain('Форма пришла без проверочного кода этого окна');
    }
    // A page of another site cannot even send the cookie along: SameSite, and without the token nothing happens anyway.
    const after = await workplace.store.incidents.get('zarechensk', 1);
    expect(after!.assignee).toBe('orlova');
    expect(after!.history.length).toBe(before!.history.length);
  });

  it('another tenant\'s incident number, or a form drawn for another tenant, is refused', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/2`);
    const fields = await formFields(page, 'reassign');
    // № 4 exists only in Озёрный: from a Зареченск session it does not exist.
    const other = await page.request.post(`${workplace.url}/incidents/4/commands/reject`, { form: { ...fields, state: 'triage', version: '1', reason: 'other', comment: 'подделка' }, maxRedirects: 0 });
    expect(other.status()).toBe(404);
    expect(await other.text()).toContain('Обращение № 4 не найдено или недоступно вам');
    expect((await workplace.store.incidents.get('ozerny', 4))!.state).toBe('triage');
    // Озёрный's № 1 is named in the form's tenant field: refused before anything is read.
    const crossTenant = await page.request.post(`${workplace.url}/incidents/1/commands/reject`, { form: { ...fields, tenant: 'ozerny', state: 'triage', version: '1', reason: 'other', comment: 'подделка' }, maxRedirects: 0 });
    expect(crossTenant.status()).toBe(403);
    expect(await crossTenant.text()).toContain('Форма относится к другой администрации');
    expect((await workplace.store.incidents.get('ozerny', 1))!.state).toBe('triage');
    expect((await workplace.store.incidents.get('zarechensk', 1))!.state).toBe('assigned');
  });

  it('a form drawn before the person switched tenants in another tab is refused, not applied to the other tenant\'s № 1', async () => {
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/1`);
    const tab = await curator.context.newPage();
    await tab.goto(`${workplace.url}/tenant`);
    await Promise.all([tab.waitForURL(/\/inbox/), tab.click('button:has-text("Администрация Озёрного городского округа")')]);
    expect(await tab.locator('.tenant').textContent()).toContain('Озёрного');
    const status = await submit(page, 'reassign', async (form) => {
      await form.locator('select[name=assignee]').selectOption('kuznetsov');
      await form.locator('textarea[name=comment]').fill('нагрузка');
    });
    expect(status).toBe(403);
    expect(await page.textContent('main')).toContain('Форма относится к другой администрации');
    expect((await workplace.store.incidents.get('zarechensk', 1))!.assignee).toBe('orlova');
    expect((await workplace.store.incidents.get('ozerny', 1))!.history.length).toBe(1);
    await tab.goto(`${workplace.url}/tenant`);
    await Promise.all([tab.waitForURL(/\/inbox/), tab.click('button:has-text("Администрация городского округа Зареченск")')]);
    await tab.close();
  });

  it('a stale form after a colleague acted is refused with a clear message, and the colleague\'s decision stands', async () => {
    await classify(workplace.store, [vkMessage('3', 'Во дворе дома 7 на улице Мира сломаны качели, дети могут пострадать', 'kozlov')]);
    const colleague = await openAs(browser, workplace.url, 'smirnov');
    const page = curator.page;
    await page.goto(`${workplace.url}/incidents/3`);
    await colleague.page.goto(`${workplace.url}/incidents/3`);
    // The colleague's card shows that Petrova has it open.
    expect(await colleague.page.locator('.presence.viewers').textContent()).toContain('Петрова Анна Сергеевна');
    expect(await submit(colleague.page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('благоустройство');
      await form.locator('select[name=department1]').selectOption('blago');
    })).toBe(303);
    // Petrova's page was told at once (server-sent events)…
    await page.locator('#live-banner:not([hidden])').waitFor();
    expect(await page.locator('#live-banner').textContent()).toContain('Обращение № 3 изменилось');
    // …and the form she still sends is refused.
    const status = await submit(page, 'reject', async (form) => {
      await form.locator('select[name=reason]').selectOption('other');
      await form.locator('textarea[name=comment]').fill('Не относится к администрации');
    });
    expect(status).toBe(409);
    expect(await page.locator('.error').textContent()).toContain('Карточка устарела: обращение № 3 изменилось после того, как вы её открыли. Ничего не записано');
    expect(await page.locator('.error').textContent()).toContain('Сейчас обращение передано исполнителю');
    const stored = await workplace.store.incidents.get('zarechensk', 3);
    expect(stored).toMatchObject({ state: 'assigned', departments: ['blago'], assignee: 'morozova' });
    expect(stored!.history.filter((h) => h.to === 'rejected')).toEqual([]);
    // The card she sees now is the current one; a reject is not offered for an assigned incident.
    expect(await page.locator('.summary').textContent()).toContain('Передано исполнителю');
    expect(await page.locator('form[data-command="reject"]').count()).toBe(0);
    await colleague.context.close();
  });

  it('a stale form of the same state (an older version of the card) is refused too, and the draft typed into it is kept', async () => {
    const executor = await openAs(browser, workplace.url, 'orlova');
    await executor.page.goto(`${workplace.url}/incidents/1`);
    expect(await submit(executor.page, 'take')).toBe(303);
    // While she writes, the curator hands it to a colleague and back: the state is again «готовится ответ», the card is not.
    const page = curator.page;
    for (const [assignee, comment] of [['kuznetsov', 'временно'], ['orlova', 'вернула']] as const) {
      await page.goto(`${workplace.url}/incidents/1`);
      expect(await submit(page, 'reassign', async (form) => {
        await form.locator('select[name=assignee]').selectOption(assignee);
        await form.locator('textarea[name=comment]').fill(comment);
      })).toBe(303);
    }
    const text = 'Здравствуйте! Подача горячей воды будет восстановлена 27 ноября 2026 года.';
    expect(await submit(executor.page, 'submit-draft', (form) => form.locator('textarea[name=text]').fill(text))).toBe(409);
    expect(await executor.page.locator('.error').textContent()).toContain('Карточка устарела');
    expect((await workplace.store.incidents.get('zarechensk', 1))!.drafts).toEqual([]);
    expect(await executor.page.locator('form[data-command="submit-draft"] textarea[name=text]').inputValue()).toBe(text);
    // On the fresh card the same text goes through.
    expect(await submit(executor.page, 'submit-draft')).toBe(303);
    expect((await workplace.store.incidents.get('zarechensk', 1))!.drafts.map((d) => d.text)).toEqual([text]);
    await executor.context.close();
  });
});
