import { exportCommand, importCommand, ingestSourceCommand } from '../features/imports/imports.cli';
import { userCommand } from '../features/auth/user.cli';
import { backupCommand, restoreCommand } from '../db/backup.cli';
import type { CliCommand } from './command';
import { migrateCommand } from './db.cli';
import { mappingSchemaCommand, schemaEmitCommand } from './schema.cli';
import { seedCommand, seedScaleCommand } from './seed.cli';
import { tokenCommand } from './token.cli';

/**
 * Every `pnpm cli` command, in the order `pnpm cli --help` lists them. A command lives with its
 * feature (features/x/x.cli.ts, db/*.cli.ts) and implements CliCommand (cli/command.ts); add it
 * here once and it gets its line in the list, `--help` and `help <name>`, and the exit codes.
 */
export const COMMANDS: CliCommand[] = [
  // The database
  migrateCommand,
  backupCommand,
  restoreCommand,
  seedCommand,
  seedScaleCommand,
  // Accounts and access
  userCommand,
  tokenCommand,
  // Data in and out
  importCommand,
  exportCommand,
  ingestSourceCommand,
  // The API contract, and the schema of mapping files
  schemaEmitCommand,
  mappingSchemaCommand,
];
