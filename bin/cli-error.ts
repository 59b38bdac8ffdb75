/** An error the CLI prints as it is (no stack): bad input, bad configuration, a failed check. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
