import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initialsAvatar } from '../../runtime/src/flows/avatar.ts';

const initials = (name: string) => /<text[^>]*>(.*)<\/text>/.exec(decodeURIComponent(initialsAvatar(name).slice('data:image/svg+xml,'.length)))?.[1];

test('the first letters of the first two words, in capitals', () => {
  assert.is(initials('Grace Hopper'), 'GH');
  assert.is(initials('  ada   lovelace king '), 'AL');
  assert.is(initials('Émilie'), 'É');
});

test('a letter with its combining marks, or an emoji, stays whole', () => {
  assert.is(initials('E\u0301lodie Durand'), 'E\u0301D');
  assert.is(initials('👩🏽‍💻 Zoe'), '👩🏽‍💻Z');
});

test('a name with markup in it stays text in the picture', () => {
  assert.is(initials('<b> &x'), '&#60;&#38;');
  assert.ok(initialsAvatar('<svg onload=x>').startsWith('data:image/svg+xml,'));
  assert.not.match(decodeURIComponent(initialsAvatar('<script>')), '<script');
});

test.run();
