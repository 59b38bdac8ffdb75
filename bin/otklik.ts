import { Command, CommanderError } from 'commander';
import { registerStoreCommands } from './commands/store.js';
import { CliError } from './cli-error.js';

const program = new Command()
  .name('otklik')
  .description('Citizens\' messages in social networks, handled the way the regulation demands: admin commands')
  .showHelpAfterError()
  .exitOverride();

registerStoreCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof CliError) {
    console.error(error.message);
    process.exitCode = error.exitCode;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  }
}
