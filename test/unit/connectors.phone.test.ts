import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toE164 } from '../../runtime/src/formats/phone.ts';

test('the three ways a French mobile is written meet in E.164', () => {
  assert.is(toE164('06 12 34 56 78', 'FR'), '+33612345678');
  assert.is(toE164('+33612345678', 'FR'), '+33612345678');
  assert.is(toE164('0033 6 12 34 56 78', 'FR'), '+33612345678');
  assert.is(toE164('06.12.34.56.78', 'FR'), '+33612345678');
  assert.is(toE164('+33 (0)6 12 34 56 78', 'FR'), '+33612345678');
});

test('a number with its country code reads the same whatever the device region', () => {
  assert.is(toE164('0033 6 12 34 56 78', 'DE'), '+33612345678');
  assert.is(toE164('+44 20 7946 0958', 'US'), '+442079460958');
  assert.is(toE164('011 33 6 12 34 56 78', 'US'), '+33612345678');
});

test('the default region reads national numbers, in any letter case', () => {
  assert.is(toE164('(415) 555-0132', 'US'), '+14155550132');
  assert.is(toE164('030 1234567', 'de'), '+49301234567');
});

test('tel: URIs and extensions give the number alone', () => {
  assert.is(toE164('tel:+33-6-12-34-56-78', 'FR'), '+33612345678');
  assert.is(toE164('tel:+33-4-78-69-70-00;ext=1234', 'FR'), '+33478697000');
  assert.is(toE164('+33 4 78 69 70 00 ext. 1234', 'FR'), '+33478697000');
});

test('short codes, text and nonsense have no E.164 form', () => {
  for (const number of ['112', '3615', '888', '', 'abc', 'voicemail', '+', '+336123456789999', '0'.repeat(200)]) {
    assert.is(toE164(number, 'FR'), undefined, number);
  }
});

test('an unknown device region still reads international numbers and refuses national ones', () => {
  assert.is(toE164('+33612345678', 'ZZ'), '+33612345678');
  assert.is(toE164('06 12 34 56 78', 'ZZ'), undefined);
  assert.is(toE164('06 12 34 56 78', ''), undefined);
});

test.run();
