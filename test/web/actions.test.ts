// Every action of the card, reached in chromium and decided by workflow/ as from the staff
// bot: routing to several departments and to a deputy, passing on, interim answers with
// a promised date and the pre-check's findings, edit-and-approve, «не в компетенции»,
// overturning a rejection, repeats linked and unlinked, the public-interest flag, 59-ФЗ
// conversion with consent, a clarification closed or resumed, an explanation on its
// ground (004 [3.7]), and an answer whose delivery a person confirms.
import { rawDb } from '../support/store.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { Command } from '../../workflow/incident-machine.js';
import { classify, vkMessage } from '../workers/support/staff-bot-setup.js';
import { waitUntil } from '../support/worker-processes.js';
import { launchBrowser, openAs, submit, type Person } from './support/browser.js';
import { setPassword, startWorkplace, type Workplace } from './support/workplace.js';

// Tuesday 2026-12-15 10:00 in Moscow: Kuznetsov (housing) is on leave until the 25th, Orlova stands in.
const NOW = new Date('2026-12-15T07:00:00Z');

describe('every card action in the browser', () => {
  let workplace: Workplace;
  let browser: Browser;
  let curator: Person;
  const people = new Map<string, Person>();

  async function as(login: string): Promise<Person> {
    let person = people.get(login);
    if (!person) {
      person = await openAs(browser, workplace.url, login);
      people.set(login, person);
    }
    return person;
  }

  async function open(person: Person, number: number): Promise<void> {
    const response = await person.page.goto(`${workplace.url}/incidents/${number}`);
    expect(response?.status()).toBe(200);
  }

  /** What the publisher does, as the system: the tests here have no network. */
  async function system(number: number, ...commands: Command[]): Promise<void> {
    const runtime = await workplace.store.tenants.runtime('zarechensk');
    for (const command of commands) await workplace.store.incidents.apply(runtime, number, command, { kind: 'system', name: 'publisher' }, NOW);
  }

  const stored = (n: number, tenant = 'zarechensk') => workplace.store.incidents.get(tenant, n).then((i) => i!);
  const notice = (p: Person) => p.page.locator('.notice').textContent();

  beforeAll(async () => {
    workplace = await startWorkplace('web_actions', { now: () => NOW, secondTenant: true });
    await classify(workplace.store, [
      vkMessage('1', 'Здравствуйте! На улице Ленина в доме 5 уже третий день нет горячей воды. Когда починят?', 'ivanov'),
      vkMessage('2', 'На проспекте Победы огромная яма на дороге, администрация, отремонтируйте', 'petrov'),
      vkMessage('3', 'Пластиковые окна со скидкой 50%! Звоните прямо сейчас, выгодное предложение, купите окна', 'shop'),
      vkMessage('4', 'В школе № 3 на Школьной улице холодно в классах, дети сидят в куртках', 'sidorova'),
      vkMessage('5', 'Во дворе не горит фонарь, администрация, когда почините?', 'kozlov'),
    ]);
    await classify(workplace.store, [vkMessage('9', 'Прошу отменить решение районного суда по моему делу о земельном участке', 'zemlin')], 'ozerny');
    for (const code of ['petrova', 'orlova', 'morozova', 'sokolov', 'lebedev']) await setPassword(workplace.store, code, [{ tenant: 'zarechensk', code }]);
    await setPassword(workplace.store, 'oz-petrova', [{ tenant: 'ozerny', code: 'petrova' }]);
    await setPassword(workplace.store, 'oz-orlova', [{ tenant: 'ozerny', code: 'orlova' }]);
    browser = await launchBrowser();
    curator = await as('petrova');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await workplace?.close();
  }, 60_000);

  it('routes to two departments in order; the absent executor\'s deputy gets it (000 [5], 001 [6, 21])', async () => {
    await open(curator, 1);
    const assignee = curator.page.locator('form[data-command="confirm-and-route"] select[name=assignee]');
    expect(await assignee.locator('option[value="kuznetsov"]').textContent()).toContain('отсутствует (отпуск) до 25.12.2026');
    expect(await assignee.locator('option[value="kuznetsov"]').textContent()).toContain('замещает Орлова Мария Андреевна');
    expect(await submit(curator.page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('ЖКХ');
      await form.locator('input[name=location]').fill('улица Ленина, дом 5');
      await form.locator('select[name=importance]').selectOption('high');
      await form.locator('select[name=department1]').selectOption('zhkh');
      await form.locator('select[name=department2]').selectOption('blago');
    })).toBe(303);
    const i = await stored(1);
    expect(i).toMatchObject({ state: 'assigned', departments: ['zhkh', 'blago'], assignee: 'orlova', importance: 'high', location: 'улица Ленина, дом 5' });
    expect(i.history.at(-1)!.why).toContain('Очерёдность подразделений: Отдел ЖКХ → Отдел благоустройства и экологии');
    // The curator changed the place: the classifier learns it (as from the bot).
    const corrections = await rawDb(workplace.store).collection('classifierCorrections').find({ incident: '1' }).toArray();
    expect(corrections.map((c) => c.kind)).toContain('location');
  });

  it('the first department passes it on with a note; the next one\'s executor has it (001 [21])', async () => {
    const orlova = await as('orlova');
    await open(orlova, 1);
    expect(await submit(orlova.page, 'pass-on', (form) => form.locator('textarea[name=note]').fill('Подача воды восстановлена, нужен ремонт благоустройства во дворе'))).toBe(303);
    expect(await notice(orlova)).toContain('Обращение передано следующему подразделению.');
    expect(await stored(1)).toMatchObject({ state: 'assigned', assignee: 'morozova', departmentIndex: 1 });
  });

  it('an interim answer without a date comes back with the pre-check\'s finding; the curator sets the promised date', async () => {
    const morozova = await as('morozova');
    await open(morozova, 1);
    expect(await submit(morozova.page, 'submit-draft', async (form) => {
      await form.locator('input[name=kind][value=interim]').check();
      await form.locator('textarea[name=text]').fill('Здравствуйте! Ваше обращение передано специалистам, окончательный ответ будет дан позднее.');
    })).toBe(303);
    expect(await morozova.page.locator('.findings').first().textContent()).toContain('не указан срок');
    await open(curator, 1);
    expect(await curator.page.locator('.findings').first().textContent()).toContain('не указан срок');
    expect(await submit(curator.page, 'set-promised-date', (form) => form.locator('input[name=promisedBy]').fill('2026-12-22'))).toBe(303);
    const draft = (await stored(1)).drafts.at(-1)!;
    expect(draft.kind).toBe('interim');
    expect(draft.promisedBy?.toISOString()).toBe('2026-12-22T20:59:59.999Z');
  });

  it('edit-and-approve: the curator\'s text is the one approved; the original stays on record (001 [18])', async () => {
    await open(curator, 1);
    const text = 'Здравствуйте! Ремонт во дворе дома 5 на улице Ленина будет выполнен до 22 декабря 2026 года, тогда же сообщим результат.';
    expect(await submit(curator.page, 'edit-and-approve', async (form) => {
      await form.locator('textarea[name=text]').fill(text);
      await form.locator('textarea[name=comment]').fill('Добавлена дата');
    })).toBe(303);
    expect(await notice(curator)).toContain('Исправленный ответ согласован');
    const i = await stored(1);
    expect(i.state).toBe('approved');
    expect(i.drafts.map((d) => d.decision)).toEqual(['edited', 'approved']);
    expect(i.drafts.at(-1)!.text).toBe(text);
  });

  it('an answer whose delivery the publisher could not confirm waits in «Требует внимания человека» until a person records what they found', async () => {
    await system(1, { type: 'publish-started' });
    const i = await stored(1);
    await workplace.store.publication.handToPerson(i, 'Telegram не ответил за отведённое время', NOW);
    // Another process (the publisher) handed it over: the inbox shows it within its next scan of changes.
    await waitUntil('the inbox to list the hand-over', async () => {
      await curator.page.goto(`${workplace.url}/inbox?queue=attention`);
      return (await curator.page.locator('tr[data-number="1"]').count()) > 0;
    }, 30_000, 200);
    expect(await curator.page.locator('tr[data-number="1"]').textContent()).toContain('результат публикации не подтверждён');
    await curator.page.goto(`${workplace.url}/inbox?queue=publishing`);
    expect(await curator.page.locator('tr[data-number="1"]').count()).toBe(0);
    await open(curator, 1);
    expect(await curator.page.locator('form[data-command="resolve-delivery"]').textContent()).toContain('Telegram не ответил за отведённое время');
    expect(await submit(curator.page, 'resolve-delivery', async (form) => {
      await form.locator('select[name=outcome]').selectOption('public');
      await form.locator('textarea[name=comment]').fill('ответ виден под постом');
    })).toBe(303);
    // An interim answer out: the final one is now due by the promised date (001 [15]).
    const after = await stored(1);
    expect(after.state).toBe('awaiting-final');
    expect(after.history.at(-1)!.why).toContain('ответ виден под постом');
  });

  it('«не в компетенции»: the executor returns it with a comment; the curator routes it elsewhere (001 [11])', async () => {
    await open(curator, 2);
    expect(await submit(curator.page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('дороги');
      await form.locator('select[name=department1]').selectOption('roads');
    })).toBe(303);
    const sokolov = await as('sokolov');
    await open(sokolov, 2);
    expect(await submit(sokolov.page, 'return-not-competent', (form) => form.locator('textarea[name=comment]').fill('Яма во дворе, а не на дороге: это благоустройство'))).toBe(303);
    expect((await stored(2)).state).toBe('returned');
    await curator.page.goto(`${workplace.url}/inbox`);
    expect(await curator.page.locator('tr[data-number="2"]').textContent()).toContain('Возвращено');
    await open(curator, 2);
    expect(await submit(curator.page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('благоустройство');
      await form.locator('select[name=department1]').selectOption('blago');
    })).toBe(303);
    expect(await stored(2)).toMatchObject({ state: 'assigned', assignee: 'morozova', departments: ['blago'] });
  });

  it('a rejection is overturned with a comment, and a rejection by the curator needs a reason', async () => {
    await curator.page.goto(`${workplace.url}/inbox?queue=rejected`);
    expect(await curator.page.locator('tr[data-number="3"]').count()).toBe(1);
    await open(curator, 3);
    expect(await curator.page.locator('.verdict').textContent()).toContain('Отклонить');
    expect(await curator.page.locator('.message mark').count()).toBeGreaterThan(0);
    expect(await submit(curator.page, 'overturn', (form) => form.locator('textarea[name=comment]').fill('Проверить: возможно, жалоба на продавца'))).toBe(303);
    expect((await stored(3)).state).toBe('triage');
    // «Иная причина» without a comment is refused by the workflow, with its message.
    expect(await submit(curator.page, 'reject', async (form) => {
      await form.locator('select[name=reason]').selectOption('other');
      await form.locator('textarea[name=comment]').fill('');
    })).toBe(422);
    expect(await curator.page.locator('.error').textContent()).toContain('нужен комментарий');
    expect(await submit(curator.page, 'reject', (form) => form.locator('select[name=reason]').selectOption('advertising'))).toBe(303);
    expect(await stored(3)).toMatchObject({ state: 'rejected', rejection: expect.objectContaining({ code: 'advertising', by: 'petrova' }) });
  });

  it('a wrong repeat link is set and removed; the public-interest flag is set; the message becomes a 59-ФЗ appeal with consent', async () => {
    await open(curator, 4);
    expect(await submit(curator.page, 'link-repeat', (form) => form.locator('input[name=earlier]').fill('1'))).toBe(303);
    expect((await stored(4)).repeatOf).toBe(1);
    expect(await curator.page.locator('.summary').textContent()).toContain('обращения № 1');
    expect(await submit(curator.page, 'unlink-repeat', (form) => form.locator('textarea[name=comment]').fill('Другой адрес и другой вопрос'))).toBe(303);
    expect((await stored(4)).repeatOf).toBeNull();
    expect(await submit(curator.page, 'set-public-interest')).toBe(303);
    expect((await stored(4)).publication.publicInterest).toBe(true);
    expect(await curator.page.locator('form[data-command="set-public-interest"] button').textContent()).toContain('Снять отметку');
    expect(await submit(curator.page, 'convert-to-appeal', async (form) => {
      await form.locator('input[name=consentHow]').fill('автор согласился в личных сообщениях');
      await form.locator('input[name=registration]').fill('59-1234');
    })).toBe(303);
    expect(await stored(4)).toMatchObject({ state: 'converted', appeal: expect.objectContaining({ consentHow: 'автор согласился в личных сообщениях', registration: '59-1234' }) });
  });

  it('a clarification request: the curator resumes without the author\'s reply, then closes a second one unanswered (001 [17])', async () => {
    await open(curator, 5);
    expect(await submit(curator.page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('благоустройство');
      await form.locator('select[name=department1]').selectOption('blago');
    })).toBe(303);
    const morozova = await as('morozova');
    const ask = async () => {
      await open(morozova, 5);
      expect(await submit(morozova.page, 'submit-draft', async (form) => {
        await form.locator('input[name=kind][value=clarification]').check();
        await form.locator('textarea[name=text]').fill('Здравствуйте! Уточните, пожалуйста, адрес двора: улицу и номер дома?');
      })).toBe(303);
      await open(curator, 5);
      expect(await submit(curator.page, 'approve')).toBe(303);
      await system(5, { type: 'publish-started' }, { type: 'published' });
      expect((await stored(5)).state).toBe('awaiting-author');
      await open(curator, 5);
    };
    await ask();
    expect(await submit(curator.page, 'resume-without-reply', (form) => form.locator('textarea[name=comment]').fill('Ответьте по имеющимся сведениям: фонари во всех дворах улицы Мира'))).toBe(303);
    expect((await stored(5)).state).toBe('draft');
    await ask();
    expect(await submit(curator.page, 'close-no-reply', (form) => form.locator('textarea[name=comment]').fill('Автор не ответил за три рабочих дня'))).toBe(303);
    expect((await stored(5)).state).toBe('closed-no-reply');
  });

  it('under regulation 004 the executor gives an explanation on its ground (004 [3.7])', async () => {
    const ozCurator = await as('oz-petrova');
    await open(ozCurator, 1);
    expect(await submit(ozCurator.page, 'confirm-and-route', async (form) => {
      await form.locator('select[name=topic]').selectOption('градостроительство и земля');
      await form.locator('select[name=department1]').selectOption('zhkh');
      await form.locator('select[name=assignee]').selectOption('orlova');
    })).toBe(303);
    const ozExecutor = await as('oz-orlova');
    await open(ozExecutor, 1);
    const grounds = await ozExecutor.page.locator('form[data-command="submit-draft"] select[name=ground] option').allTextContents();
    expect(grounds).toContain('обжалование судебных актов');
    expect(await submit(ozExecutor.page, 'submit-draft', async (form) => {
      await form.locator('input[name=kind][value=explanation]').check();
      await form.locator('select[name=ground]').selectOption('court');
      await form.locator('textarea[name=text]').fill('Здравствуйте! Решения суда обжалуются в вышестоящем суде в порядке, установленном процессуальным законодательством; администрация их отменить не может.');
    })).toBe(303);
    const draft = (await stored(1, 'ozerny')).drafts.at(-1)!;
    expect(draft).toMatchObject({ kind: 'explanation', ground: 'court' });
    expect(await ozExecutor.page.locator('.draft').first().textContent()).toContain('Основание разъяснения: обжалование судебных актов');
  });

  it('no page raised a script error or failed a request', () => {
    for (const [login, person] of people) expect({ login, problems: person.problems }).toEqual({ login, problems: [] });
  });
});
