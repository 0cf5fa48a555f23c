import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fillTemplate, setLanguage, t } from '../../setup-wizard/src/i18n.ts';

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

test.run();
