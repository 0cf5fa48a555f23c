import { statSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { checkPassphrase, createSecurityLog, createSessions, hashPassphrase } from '../auth/index.ts';
import { loadConfig, VERSION } from '../config/index.ts';
import { createDeviceSettings } from '../device/index.ts';
import { createDeviceTable, createFactorStore, createOwners, createSecurityLogTable, createSessionTable } from '../store/index.ts';
import { openDataDatabase } from './database.ts';
import { CliError } from './errors.ts';


/**
 * The way back in for an owner who forgot the passphrase. Whoever can run this as root (or as the
 * account that owns the data) could read the database anyway, so it grants nothing new; it is
 * refused to everyone else before anything is read.
 */
export async function resetOwner(environment: NodeJS.ProcessEnv, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<void> {
  const config = loadConfig(environment, VERSION);
  let owner: number;
  try {
    owner = statSync(config.dataDir).uid;
  } catch {
    throw new CliError(`There is no Hearth data in ${config.dataDir}; set HEARTH_DATA_DIR.`);
  }
  const uid = process.getuid?.() ?? 0;
  if (uid !== 0 && uid !== owner) throw new CliError('Run this as root: sudo hearth reset-owner');

  const db = await openDataDatabase(config);
  try {
    const current = createOwners(db).get();
    if (!current) throw new CliError('This Hearth has no owner yet: open the setup wizard instead.');
    const passphrase = await readNewPassphrase(input, output);
    const assessment = await checkPassphrase(passphrase, [current.name, createDeviceSettings(createDeviceTable(db)).current()?.name ?? '']);
    if (!assessment.acceptable) throw new CliError(`Passphrase refused: ${assessment.reason}`);
    createOwners(db).setPassphraseHash(await hashPassphrase(passphrase), new Date().toISOString());
    const signedOut = createSessions(createSessionTable(db), Date.now).revokeAllExcept();
    // A lost phone or key is the other reason to be here: the new passphrase alone signs in, and
    // the owner turns two-factor sign-in on again from Security.
    const factors = createFactorStore(db);
    const hadFactors = factors.totp() !== undefined || factors.passkeys().length > 0;
    factors.clearAll();
    createSecurityLog(createSecurityLogTable(db), Date.now).record({ kind: 'owner_reset', detail: { signedOut, factorsCleared: hadFactors } });
    output.write(
      `The passphrase of ${current.name} is reset; ${signedOut} session(s) signed out` +
        `${hadFactors ? '; two-factor sign-in is off (codes, recovery codes and passkeys removed)' : ''}.\n`,
    );
  } finally {
    db.close();
  }
}

/** Hidden and asked twice at a terminal; one line from a pipe, so scripts and tests can drive it. */
async function readNewPassphrase(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  if (!input.isTTY) {
    const reader = createInterface({ input });
    for await (const line of reader) {
      reader.close();
      return line;
    }
    throw new CliError('No passphrase given on standard input.');
  }
  let muted = false;
  const echo = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const reader = createInterface({ input, output: echo, terminal: true });
  const ask = async (question: string) => {
    output.write(question);
    muted = true;
    const answer = await reader.question('');
    muted = false;
    output.write('\n');
    return answer;
  };
  try {
    const first = await ask('New passphrase: ');
    const second = await ask('Repeat it: ');
    if (first !== second) throw new CliError('The two passphrases differ; nothing changed.');
    return first;
  } finally {
    reader.close();
  }
}
