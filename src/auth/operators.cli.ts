import { parseArgs } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
import { openAppDatabase } from '../database/app-database';
import { PrismaClient } from '../generated/prisma/client';
import { PLATFORM_SCOPES } from './auth.constants';
import { changeScope, isKnownScope, listOperators, OperatorScopeError, unknownScopeMessage, OperatorScopeErrorCode, type OperatorRow, type ScopeChangeKind } from './operator-scopes';

const USAGE = `Usage:
  npm run operators:grant -- --email <email> --scope <scope>    give a user a platform scope
  npm run operators:revoke -- --email <email> --scope <scope>   take it away
  npm run operators:list                                        users holding platform scopes

Scopes: ${PLATFORM_SCOPES.join(', ')}. platform:operator may use every operator route
(/api/v1/platform/*), support:read only those that read. The user must exist (signed up). A change
applies from the user's next request and is recorded in the audit trail (actor CLI, action
operator.scope_granted / operator.scope_revoked). Granting a scope already held, or revoking one not
held, changes and records nothing.

Exit code: 0 done, or nothing to change; 1 error; 2 usage; 3 unknown user; 4 unknown scope.

Targets DATABASE_URL, or the embedded database under EMBEDDED_DATA_DIR when it is unset (the running
server's, while \`npm start\` holds it).`;

const EXIT = { ok: 0, error: 1, usage: 2, unknownUser: 3, unknownScope: 4 } as const;

const ERROR_EXIT: Readonly<Record<OperatorScopeErrorCode, number>> = {
  [OperatorScopeErrorCode.USER_NOT_FOUND]: EXIT.unknownUser,
  [OperatorScopeErrorCode.UNKNOWN_SCOPE]: EXIT.unknownScope,
};

type Command = { kind: 'list' } | { kind: ScopeChangeKind; email: string; scope: string } | { kind: 'help' };

/** The command, or what is wrong with the arguments. */
function parse(argv: string[]): Command | string {
  const [command, ...rest] = argv;
  let values: { email?: string; scope?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: rest, options: { email: { type: 'string' }, scope: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    return (error as Error).message; // unknown option, missing value, stray argument
  }
  if (values.help) return { kind: 'help' };
  if (command === 'list') return values.email === undefined && values.scope === undefined ? { kind: 'list' } : 'list takes no options.';
  if (command !== 'grant' && command !== 'revoke') return `Unknown command ${JSON.stringify(command ?? '')}.`;
  const email = values.email?.trim();
  const scope = values.scope?.trim();
  if (!email || !scope) return `${command} needs --email and --scope.`;
  return { kind: command, email, scope };
}

async function main(argv: string[]): Promise<number> {
  const command = parse(argv);
  if (typeof command === 'string') {
    process.stderr.write(`${command}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (command.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  // Refused before the database is opened; revoke checks after, since a held unknown scope may go.
  if (command.kind === 'grant' && !isKnownScope(command.scope)) {
    process.stderr.write(`${unknownScopeMessage(command.scope)}\n`);
    return EXIT.unknownScope;
  }
  const database = await openAppDatabase();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 1, connectionTimeoutMillis: 5_000 }) });
  try {
    if (command.kind === 'list') {
      process.stdout.write(formatOperators(await listOperators(prisma)));
      return EXIT.ok;
    }
    const result = await changeScope(prisma, command.kind, command.email, command.scope);
    const { email } = result;
    const { scope } = command;
    const message = result.changed
      ? command.kind === 'grant'
        ? `Granted ${scope} to ${email}.`
        : `Revoked ${scope} from ${email}.`
      : command.kind === 'grant'
        ? `${email} already holds ${scope}; nothing changed.`
        : `${email} does not hold ${scope}; nothing changed.`;
    process.stdout.write(`${message} Scopes now: ${result.scopes.join(', ') || '(none)'}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof OperatorScopeError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return ERROR_EXIT[error.code];
  } finally {
    await prisma.$disconnect();
    await database.close();
  }
}

function formatOperators(operators: OperatorRow[]): string {
  if (operators.length === 0) return 'No operators.\n';
  const rows = [['EMAIL', 'SCOPES', 'USER ID'], ...operators.map((o) => [o.email, o.platformScopes.join(','), o.id])];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map(([email, scopes, id]) => `${email.padEnd(widths[0])}  ${scopes.padEnd(widths[1])}  ${id}\n`).join('');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(EXIT.error);
  },
);
