/**
 * Why the embedded store could not be set up or started, with what to do about it.
 * None of these is helped by retrying as is: each needs an admin to act.
 */
export class EmbeddedStoreError extends Error {
  override readonly name = 'EmbeddedStoreError';
  readonly retryable = false;
  constructor(
    message: string,
    /** What the admin should do, one sentence. */
    readonly remedy: string,
  ) {
    super(`${message}\n  → ${remedy}`);
  }
}
