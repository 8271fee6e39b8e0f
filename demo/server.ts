/**
 * `npm run demo:server -- [--port P] [--files-port Q] [--seed S] [--demarches D] [--dossiers N]
 * [--attachment-kb K] [--token T] [--now ISO] [--rules 2026|2025]`: runs the local DS instance until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { type DemoInstance, type DemoOptions, startDemo } from './instance';
import { isRuleSet, RULE_SETS, type RuleSet } from './rules/expiry';

const USAGE = `Usage: npm run demo:server -- [--port 4000] [--files-port 4001] [--seed archiviste] [--demarches 3]
       [--dossiers 60] [--attachment-kb 64] [--token <token>] [--now 2026-01-15T10:00:00+01:00] [--rules 2026|2025]`;

/** How `describeDemo` names each rule set. */
const RULES_DESCRIPTION: Record<RuleSet, string> = {
  '2026': '2026 (DS depuis juin 2026 : les dossiers en construction n’expirent plus)',
  '2025': '2025 (DS avant juin 2026 : les dossiers en construction expirent aussi)',
};

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0)
    throw new Error(`--${name} expects a non-negative integer, got "${value}"`);
  return number;
}

function rulesOption(value: string | undefined): RuleSet | undefined {
  if (value === undefined || isRuleSet(value)) return value;
  throw new Error(`--rules expects ${RULE_SETS.join(' or ')}, got "${value}"`);
}

export function parseDemoArgs(args: string[]): DemoOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'files-port': { type: 'string' },
      seed: { type: 'string' },
      demarches: { type: 'string' },
      dossiers: { type: 'string' },
      'attachment-kb': { type: 'string' },
      token: { type: 'string' },
      now: { type: 'string' },
      rules: { type: 'string' },
    },
  });
  return {
    port: numberOption(values.port, 'port') ?? 4000,
    filesPort: numberOption(values['files-port'], 'files-port'),
    seed: values.seed,
    demarches: numberOption(values.demarches, 'demarches'),
    dossiers: numberOption(values.dossiers, 'dossiers'),
    attachmentKb: numberOption(values['attachment-kb'], 'attachment-kb'),
    token: values.token,
    now: values.now,
    rules: rulesOption(values.rules),
  };
}

/** The lines `npm run demo:server` and `npm start` print once the instance listens. */
export function describeDemo(demo: DemoInstance): string {
  return [
    `Instance DS de démonstration : ${demo.url}/procedures`,
    `  fichiers            : ${demo.filesUrl}`,
    `  connexion           : ${demo.login.email} / ${demo.login.password}`,
    `  jeton d’API         : ${demo.token}`,
    `  règles d’expiration : ${RULES_DESCRIPTION[demo.rules]}`,
    `  démarches           : ${demo.demarches.map((d) => `${d.number} (${d.dossiers} dossiers)`).join(', ')}`,
    `  administration      : ${demo.url}/__demo`,
  ].join('\n');
}

/** Starts the instance for a command line, or exits with a readable message. */
export async function startFromCommandLine(args: string[]): Promise<DemoInstance> {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(args);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  try {
    return await startDemo(options);
  } catch (error) {
    const { code, port } = error as NodeJS.ErrnoException & { port?: number };
    if (code !== 'EADDRINUSE') throw error;
    console.error(`Le port ${port} est déjà utilisé : choisissez-en d’autres avec --port (et --files-port).`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const demo = await startFromCommandLine(process.argv.slice(2));
  console.log(describeDemo(demo));
  console.log(`Prête en ${Date.now() - started} ms. Ctrl-C pour arrêter.`);
  const stop = () => {
    demo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
