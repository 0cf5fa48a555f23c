import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHandoffs, HANDOFF_TTL_MS } from '../../runtime/src/auth/handoff.ts';

test('a code stands for its session until it is used or two minutes have passed', () => {
  let now = 1_000_000;
  const handoffs = createHandoffs(() => now);
  const early = handoffs.issue('session-a');
  const late = handoffs.issue('session-b');
  assert.is(early.expiresAt.getTime(), now + HANDOFF_TTL_MS);
  assert.is.not(early.code, late.code);
  now += HANDOFF_TTL_MS - 1;
  assert.is(handoffs.redeem(early.code), 'session-a');
  assert.is(handoffs.redeem(early.code), undefined, 'once');
  now += 1;
  assert.is(handoffs.redeem(late.code), undefined, 'expired');
});

test('at most sixteen codes wait: a seventeenth pushes the oldest out', () => {
  const handoffs = createHandoffs(() => 0);
  const codes = Array.from({ length: 17 }, (_, index) => handoffs.issue(`session-${index}`).code);
  assert.is(handoffs.redeem(codes[0]!), undefined);
  assert.is(handoffs.redeem(codes[1]!), 'session-1');
  assert.is(handoffs.redeem(codes[16]!), 'session-16');
});

test.run();
