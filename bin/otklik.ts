import { Command, CommanderError } from 'commander';
import { registerStoreCommands } from './commands/store.js';
import { registerTenantCommands } from './commands/tenant.js';
import { register as registerCalendarCommands } from './commands/calendar.js';
import { register as registerDeadlineCommand } from './commands/deadline.js';
import { register as registerClassifyCommand } from './commands/classify.js';
import { register as registerClassifierCommands } from './commands/classifier.js';
import { register as registerReportCommands } from './commands/report.js';
import { register as registerDueCommand } from './commands/due.js';
import { register as registerIncidentCommands } from './commands/incident.js';
import { register as registerProfileCommands } from './commands/profile.js';
import { register as registerStaffAbsenceCommands } from './commands/staff-absence.js';
import { register as registerHealthCommand } from './commands/health.js';
import { register as registerWorkCommands } from './commands/work.js';
import { register as registerStaffPasswordCommand } from './commands/staff-password.js';
import { register as registerPersonalDataCommands } from './commands/personal-data.js';
import { AdminFileError } from '../config/admin-errors.js';
import { CliError } from './cli-error.js';
import { loadSecretsInto } from '../config/secrets.js';

const program = new Command()
  .name('otklik')
  .description('Citizens\' messages in social networks, handled the way the regulation demands: admin commands')
  .showHelpAfterError()
  .exitOverride();

registerStoreCommands(program);
registerTenantCommands(program);
registerCalendarCommands(program);
registerDeadlineCommand(program);
registerClassifyCommand(program);
registerClassifierCommands(program);
registerReportCommands(program);
registerDueCommand(program);
registerIncidentCommands(program);
registerProfileCommands(program);
registerStaffAbsenceCommands(program);
registerHealthCommand(program);
registerWorkCommands(program);
registerStaffPasswordCommand(program);
registerPersonalDataCommands(program);

try {
  // MONGODB_URI (and tokens, for the commands that reach a network) may be in the secrets file.
  loadSecretsInto(process.env);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof CliError || error instanceof AdminFileError || (error instanceof Error && (error as { retryable?: unknown }).retryable !== undefined)) {
    // Typed errors of this project carry a message meant for the admin: no stack.
    console.error(error.message);
    process.exitCode = error instanceof CliError ? error.exitCode : 1;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  }
}
