import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preferredLanguage } from '../../runtime/src/http/index.ts';

const pick = (header: string | undefined) => preferredLanguage(header, ['en', 'fr'], 'en');

test('a browser set to French, in any region or case, gets French', () => {
  assert.is(pick('fr-CA,fr;q=0.9,en;q=0.8'), 'fr');
  assert.is(pick('FR'), 'fr');
  assert.is(pick('de-DE, fr;level=1;q=0.5'), 'fr', 'a language Hearth lacks is skipped');
});

test('weights decide before order, and a weight of 0 refuses', () => {
  assert.is(pick('fr;q=0.5, en;q=0.7'), 'en');
  assert.is(pick('fr;q=0, en;q=0.1'), 'en');
  assert.is(pick('fr;Q=1'), 'fr');
});

test('nothing usable falls back to English: no header, *, malformed weights', () => {
  for (const header of [undefined, '', '*', ',,;', 'fr;q=abc', 'fr;q=-1', 'fr;q=1.5', 'x'.repeat(10_000)]) {
    assert.is(pick(header), 'en', String(header).slice(0, 20));
  }
});

test.run();
