import type { Command } from 'commander';
import { findAccount, findCredential, loginOf, normalizeLogin, saveCredential } from '../../store/web/accounts.js';
import { initWebCollections } from '../../store/web/index.js';
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from '../../web/passwords.js';
import { webBaseUrl } from '../../web/tokens.js';
import { CliError } from '../cli-error.js';
import { tenantOrOnly } from '../tenant-option.js';
import { withStore } from '../with-store.js';

/**
 * `otklik staff password CODE`: a password for the web workplace, for staff without
 * Telegram (the others get a one-time link from the staff bot's /login). Generated and
 * printed once, or read from stdin; only its scrypt hash is stored.
 */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export function register(program: Command): void {
  const staff = program.commands.find((c) => c.name() === 'staff') ?? program.command('staff').description('staff');
  staff
    .command('password')
    .argument('<code>', 'the staff member\'s code')
    .option('-t, --tenant <name>', 'the municipality (may be left out when there is only one)')
    .option('--login <login>', 'the login to sign in with (default: the code)')
    .option('--also', 'the login exists for the same person in another municipality: open this one with it too')
    .option('--stdin', `read the password from the first line of stdin (at least ${MIN_PASSWORD_LENGTH} characters) instead of generating one`)
    .description('sets a password for the web workplace; prints a generated one once')
    .action(async (code: string, options: { tenant?: string; login?: string; also?: boolean; stdin?: boolean }) => {
      const password = options.stdin ? (await readStdin()).trim() : generatePassword();
      if (password.length < MIN_PASSWORD_LENGTH) throw new CliError(`пароль короче ${MIN_PASSWORD_LENGTH} знаков: задайте длиннее или не указывайте --stdin, чтобы получить сгенерированный`);
      const login = normalizeLogin(options.login ?? code);
      if (!/^[a-z0-9._-]{2,64}$/.test(login)) throw new CliError(`--login: «${login}» — латинские буквы, цифры, точка, дефис, подчёркивание; 2–64 знака`);
      await withStore(async (store) => {
        await initWebCollections(store);
        const tenant = await tenantOrOnly(store, options.tenant);
        const account = await findAccount(store, { tenant, code });
        if (!account) throw new CliError(`${tenant}: нет сотрудника с кодом «${code}» (otklik staff export -t ${tenant})`);
        if (!account.active) throw new CliError(`${tenant}: сотрудник «${code}» отключён (active: false): пароль не задан`);
        const existing = await findCredential(store, login);
        const own = existing?.accounts.some((a) => a.tenant === tenant && a.code === code) ?? false;
        if (existing && !own && !options.also) {
          throw new CliError(`логин «${login}» уже открывает ${existing.accounts.map((a) => `${a.code} (${a.tenant})`).join(', ')}: укажите другой --login или, если это тот же человек, --also`);
        }
        const previous = await loginOf(store, { tenant, code });
        if (previous && previous !== login) throw new CliError(`у ${code} (${tenant}) уже есть логин «${previous}»: задайте пароль для него (--login ${previous})`);
        const accounts = [...(existing?.accounts ?? []).filter((a) => !(a.tenant === tenant && a.code === code)), { tenant, code }];
        await saveCredential(store, { login, passwordHash: await hashPassword(password), accounts }, new Date());
        process.stdout.write(`${account.fullName} (${code}, ${tenant}): пароль для рабочего места ${existing ? 'заменён' : 'задан'}.\n`);
        process.stdout.write(`  адрес:  ${webBaseUrl()}/login\n  логин:  ${login}\n`);
        if (!options.stdin) process.stdout.write(`  пароль: ${password}\n  Передайте пароль сотруднику лично: в системе хранится только его хеш, повторно его не показать.\n`);
      });
    });
}
