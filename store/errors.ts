/**
 * The store's errors, each saying whether a retry can help: what the port's callers branch
 * on (never on a message string).
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  /** The server may come back: callers wait and reconnect. */
  readonly retryable = true;
}

export class UnknownTenantError extends Error {
  override readonly name = 'UnknownTenantError';
  readonly retryable = false;
  constructor(readonly tenant: string) {
    super(`нет муниципалитета «${tenant}»: сначала загрузите его файл командой otklik tenant import FILE`);
  }
}

export class ConcurrentChangeError extends Error {
  override readonly name = 'ConcurrentChangeError';
  /** Reload and decide again: the incident changed under the caller. */
  readonly retryable = true;
  constructor(readonly number: number) {
    super(`Обращение № ${number} только что изменил другой сотрудник или процесс: обновите карточку`);
  }
}

export class IncidentNotFoundError extends Error {
  override readonly name = 'IncidentNotFoundError';
  readonly retryable = false;
  constructor(tenant: string, number: number) {
    super(`Обращение № ${number} не найдено (${tenant})`);
  }
}

/** What `otklik profile` and `otklik staff absence` refuse to change in a tenant's settings. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly retryable = false;
}
