import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fillTemplate, hasMessage, setLanguage, t } from '../../setup-wizard/src/i18n.ts';

// setLanguage marks the page's language on <html>; the strings themselves need no browser.
Object.assign(globalThis, { document: { documentElement: {} } });

const NNBSP = '\u202f';

test('English counts one record, and 0 or 1,000 records', () => {
  setLanguage('en');
  assert.is(t('report.read', { records: 1, time: '2 s' }), '1 record read in 2 s');
  assert.is(t('report.read', { records: 0, time: '2 s' }), '0 records read in 2 s');
  assert.is(t('import.readingDetail', { records: 1000, rejected: 3 }), '1,000 records read, 3 rejected');
  assert.is(t('calls.loadedMore', { shown: 1 }), '1 call shown.');
  assert.is(t('spending.billsSummary', { paid: 1, total: 1 }), '1 of 1 bill matched to a payment.');
});

test('a branch may hold another placeholder', () => {
  setLanguage('en');
  assert.is(t('calls.showing', { shown: 100, total: 2500 }), 'The 100 most recent of 2,500 calls.');
  assert.is(t('calls.showing', { shown: 1, total: 1 }), 'The only call.');
});

test('French counts 0 with 1, agrees the participle, and groups thousands with a narrow space', () => {
  setLanguage('fr');
  assert.is(t('import.readingDetail', { records: 0, rejected: 1 }), '0 enregistrement lu, 1 rejeté');
  assert.is(t('import.readingDetail', { records: 2, rejected: 1500 }), `2 enregistrements lus, 1${NNBSP}500 rejetés`);
  assert.is(t('spending.billsSummary', { paid: 3, total: 4 }), '3 factures sur 4 rapprochées d’un paiement.');
  assert.is(t('spending.billsSummary', { paid: 1, total: 1 }), '1 facture sur 1 rapprochée d’un paiement.');
  assert.is(t('dav.report.partial', { count: 1 }), 'Synchronisé, avec 1 refusé');
  assert.ok(t('spending.likely', { percent: 80 }).endsWith(`80${NNBSP}%)`), 'no line break between a number and %');
  setLanguage('en');
});

test('an update that was rolled back, and the changes it could not keep, said in both languages', () => {
  setLanguage('en');
  assert.is(t('updates.rolledBack', { to: '0.2.0', from: '0.1.0', reason: 'hearthd did not start' }), '0.2.0 was installed but did not start (hearthd did not start); this device is back on 0.1.0.');
  assert.match(t('updates.restored', { count: 1, version: '0.2.0', file: 'hearth.db.from-schema-4' }), /^1 change made under 0\.2\.0 was not kept: /);
  assert.match(t('updates.restored', { count: 12, version: '0.2.0', file: 'x' }), /^12 changes made under 0\.2\.0 were not kept: /);
  setLanguage('fr');
  assert.is(t('updates.rolledBack', { to: '0.2.0', from: '0.1.0', reason: 'délai dépassé' }), `0.2.0 a été installé mais n’a pas démarré (délai dépassé)${NNBSP}; cet appareil est revenu à 0.1.0.`);
  assert.match(t('updates.restored', { count: 0, version: '0.2.0', file: 'x' }), /^0 modification faite sous 0\.2\.0 n’a pas été gardée/);
  setLanguage('en');
});

test('recovery codes left, and a browser on a system, in both languages', () => {
  setLanguage('en');
  assert.is(t('totp.codesLeft', { count: 1 }), '1 recovery code left');
  assert.is(t('totp.codesLeft', { count: 10 }), '10 recovery codes left');
  assert.is(t('sessions.browserOn', { browser: 'Firefox', system: 'Linux' }), 'Firefox on Linux');
  setLanguage('fr');
  assert.is(t('totp.codesLeft', { count: 0 }), '0 code de secours restant');
  assert.is(t('totp.codesLeft', { count: 9 }), '9 codes de secours restants');
  assert.is(t('sessions.browserOn', { browser: 'Firefox', system: 'Linux' }), 'Firefox sous Linux');
  assert.is(t('passkeys.removeTitle', { name: 'clé bleue' }), `Retirer «${NNBSP}clé bleue${NNBSP}»${NNBSP}?`);
  setLanguage('en');
});

test('restoring a whole backup says what happens first, in both languages', () => {
  setLanguage('en');
  assert.is(t('backups.restoreBody', { date: '3 Dec 2026, 03:00' }).split('. ')[0], 'Hearth first backs up how things are now, so you can go back');
  assert.match(t('backups.restoreBody', { date: '3 Dec 2026, 03:00' }), 'replaced by the backup of 3 Dec 2026, 03:00; your passphrase, two-step sign-in, tokens and signed-in browsers stay as they are now.');
  setLanguage('fr');
  assert.match(t('backups.restoreBody', { date: '3 déc. 2026, 03:00' }), `remplacés par la sauvegarde du 3 déc. 2026, 03:00${NNBSP}; votre phrase de passe`);
  assert.match(t('backups.restoreBody', { date: '3 déc. 2026, 03:00' }), `L’appareil redémarre${NNBSP}: environ une minute`);
  assert.is(t('backups.restoreTitle'), `Tout remettre comme c’était${NNBSP}?`);
  setLanguage('en');
});

test('a template without the number it counts is left as it is, never half-filled', () => {
  const template = '{n, plural, one {# item} other {# items}}';
  assert.is(fillTemplate(template, {}, 'en'), template);
  assert.is(fillTemplate(template, { n: 'many' }, 'en'), template);
  assert.is(fillTemplate('{n} of {m}', { n: 2 }, 'en'), '2 of {m}');
});

const RUNTIME = join(import.meta.dirname, '../../runtime/src');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

/** The members of a union of string literals declared in runtime/src/formats/types.ts. */
function unionMembers(name: string): string[] {
  const source = readFileSync(join(RUNTIME, 'formats/types.ts'), 'utf8');
  const body = new RegExp(`export type ${name} =([^;]*);`).exec(source)?.[1] ?? '';
  return [...body.matchAll(/\|\s*'([a-z0-9_]+)'/g)].map((match) => match[1]!);
}

/** The placeholders a message names, read off what `t` leaves of it when given no values. */
function placeholders(key: string): string[] {
  return [...new Set([...t(key as never).matchAll(/\{(\w+)[},]/g)].map((match) => match[1]!))].sort();
}

test('every code an import report can carry is said in English and French, with the same placeholders', () => {
  const codes = [...unionMembers('RejectionCode'), ...unionMembers('NoteCode')];
  assert.ok(codes.length > 100, `the code lists were read (${codes.length})`);
  // Codes written anywhere in the formats or the import pipeline are in the lists (the types check the rest).
  const files = [...sourceFiles(join(RUNTIME, 'formats')), ...sourceFiles(join(RUNTIME, 'imports'))];
  const written = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    // zod's issue codes (`addIssue({ code: 'custom' })`) are not report codes.
    for (const match of source.matchAll(/(?:\bcode: |\b(?:fault|note|ValueError)\()'([a-z0-9_]+)'/g)) if (match[1] !== 'custom') written.add(match[1]!);
  }
  assert.ok(written.size > 100, `codes were found in the source (${written.size})`);
  for (const code of written) assert.ok(codes.includes(code), `${code} is in RejectionCode or NoteCode`);
  for (const code of codes) {
    const key = `report.code.${code}`;
    assert.ok(hasMessage(key), `${key} has an English message`);
    setLanguage('en');
    const english = t(key as never);
    const englishPlaceholders = placeholders(key);
    setLanguage('fr');
    assert.is.not(t(key as never), english, `${key} has a French message`);
    assert.equal(placeholders(key), englishPlaceholders, `${key} names the same values in both languages`);
  }
  setLanguage('en');
});

test('import report notes of every format count in both languages', () => {
  setLanguage('en');
  assert.is(t('report.code.vcard_stray_lines', { count: 1 }), '1 line outside any vCard was ignored.');
  assert.is(t('report.code.energy_preamble_skipped', { count: 3, line: 4 }), 'The 3 lines before the header (line 4) were skipped.');
  assert.is(t('report.code.camt_not_booked', { count: 2 }), '2 entries not yet booked (status other than BOOK) were left out; a later statement lists them once booked.');
  setLanguage('fr');
  assert.is(t('report.code.vcard_stray_lines', { count: 2 }), '2 lignes hors de toute vCard ont été ignorées.');
  assert.is(t('report.code.ical_components_skipped', { count: 1, component: 'VTODO' }), `1 composant VTODO a été ignoré${NNBSP}: Hearth garde les événements de l’agenda.`);
  assert.is(t('report.code.ofx_bank_status_message', { severity: t('report.severity.error'), status: '2000', message: 'Account closed' }), `La banque a signalé une erreur 2000${NNBSP}: Account closed.`);
  assert.is(t('report.code.energy_interval_inferred', { interval: t('report.interval.minutes', { count: 30 }) }), `Le fichier ne donne pas d’intervalle${NNBSP}; l’écart entre relevés consécutifs, 30 minutes, a été utilisé.`);
  setLanguage('en');
});

test.run();
