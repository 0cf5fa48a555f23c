// Shared by hearthd (the authority) and the wizard (the live strength meter), so the
// meter can never approve a passphrase that the server then refuses.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

import { PASSPHRASE_MAX_LENGTH, PASSPHRASE_MIN_LENGTH } from './passphraseLimits.ts';

export { PASSPHRASE_MAX_LENGTH, PASSPHRASE_MIN_LENGTH };
/** zxcvbn score 0–4; 3 means "safely unguessable: moderate protection from offline attacks". */
export const PASSPHRASE_MIN_SCORE = 3;

export interface PassphraseAssessment {
  acceptable: boolean;
  /** 0 (trivial) … 4 (very strong); what the meter draws. */
  score: number;
  /** Why it is refused, in plain English; absent when acceptable. */
  reason?: string;
  suggestions: string[];
}

/**
 * zxcvbn's English, but where it speaks of web pages ("There should not be any personal or page
 * related data") it names what the words to avoid are here: the owner's and the device's names.
 */
export const passphraseTranslations = {
  ...english.translations,
  warnings: { ...english.translations.warnings, userInputs: 'Don’t use your own name or the device’s name.' },
};

let zxcvbn: ZxcvbnFactory | undefined;

function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    translations: passphraseTranslations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return zxcvbn;
}

/** `context` holds words an attacker would try first: the owner's and the device's names. */
export function assessPassphrase(passphrase: string, context: string[] = []): PassphraseAssessment {
  const length = [...passphrase].length;
  if (length > PASSPHRASE_MAX_LENGTH) {
    return { acceptable: false, score: 4, reason: `Use at most ${PASSPHRASE_MAX_LENGTH} characters.`, suggestions: [] };
  }
  // zxcvbn matches whole inputs: "Alice Martin" must also be tried as "alice" and "martin".
  const words = context.flatMap((text) => [text, ...text.toLowerCase().split(/[^\p{L}\p{N}]+/u)]).filter((word) => word.length > 2);
  const result = estimator().check(passphrase, words);
  const suggestions = result.feedback.suggestions;
  if (length < PASSPHRASE_MIN_LENGTH) {
    return {
      acceptable: false,
      score: Math.min(result.score, 1),
      reason: `Use at least ${PASSPHRASE_MIN_LENGTH} characters; a few unrelated words are easiest to remember.`,
      suggestions,
    };
  }
  if (madeOfOnly(passphrase, words)) {
    return { acceptable: false, score: 0, reason: 'Do not build the passphrase from your name or the device’s name alone.', suggestions };
  }
  if (result.score < PASSPHRASE_MIN_SCORE) {
    return {
      acceptable: false,
      score: result.score,
      reason: result.feedback.warning ?? 'This passphrase is too easy to guess; add another uncommon word.',
      suggestions,
    };
  }
  return { acceptable: true, score: result.score, suggestions };
}

/** zxcvbn rates "alice martin alice" as fair; built only from names an attacker knows, it is not. */
function madeOfOnly(passphrase: string, words: string[]): boolean {
  let rest = passphrase.toLowerCase();
  for (const word of [...words].sort((a, b) => b.length - a.length)) rest = rest.split(word.toLowerCase()).join('');
  return rest.replace(/[^\p{L}\p{N}]+/gu, '').length < 4;
}
