/**
 * The `lunette` command-line tool (`npm run lunette -- …`): provisioning on the box against
 * the appliance's database, configured by the same environment as the appliance.
 */
import { parseArgs } from 'node:util';
import { createOfflineAccounts } from '../accounts/index.ts';
import { loadConfig } from '../config.ts';
import { migrate, openDatabase } from '../db/index.ts';
import { createLogger, setLogLevel } from '../logger/index.ts';
import { runAccountsCommand } from './accounts-command.ts';
import { CliError, printError } from './cli-io.ts';

const USAGE = `usage: npm run lunette -- <command> [options]

  accounts create --login <e-mail> [--type user|advanced_user|admin] [--description <text>]
                  (--password-stdin | --password <password>)
  accounts passwd --login <e-mail> (--password-stdin | --password <password>)
  accounts list
  tokens create   --login <e-mail> (--permission <resource>=<action>,… ... | --all-permissions)
                  [--expires <ISO-8601 time>] [--description <text>]

Actions: creation, view, modification, deletion. Output: one JSON object per line.
Prefer --password-stdin: a password on the command line is visible to other local users.
Accounts are deleted through the API (DELETE /6/accounts/{id}).`;

const OPTIONS = {
  login: { type: 'string' },
  type: { type: 'string' },
  description: { type: 'string' },
  password: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  permission: { type: 'string', multiple: true },
  'all-permissions': { type: 'boolean' },
  expires: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  setLogLevel('warn');
  const config = loadConfig();
  const db = await openDatabase(config.dbUrl, config.dbAuthToken);
  try {
    await migrate(db);
    const offline = createOfflineAccounts(db, createLogger({ module: 'cli' }));
    await runAccountsCommand(offline, positionals, values);
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const known = err instanceof CliError;
  printError(err instanceof Error ? err.message : String(err));
  process.exit(known ? err.exitCode : 1);
});
