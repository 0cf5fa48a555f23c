// The passphrase strength meter: a <meter> 0–4 with its verdict in words. The estimator
// (zxcvbn and its dictionaries) is a separate chunk, fetched the first time a meter is made.
import { h, uid } from './dom.ts';
import { getLanguage, t, type MessageKey } from './i18n.ts';
import type { PassphraseAssessment } from '../../runtime/src/auth/passphrasePolicy.ts';

type Engine = typeof import('./passphraseEngine.ts');

let engine: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  engine ??= import('./passphraseEngine.ts').catch((error: unknown) => {
    engine = undefined; // let a later attempt try again
    throw error;
  });
  return engine;
}

const SCORE_KEYS: readonly MessageKey[] = ['pass.score0', 'pass.score1', 'pass.score2', 'pass.score3', 'pass.score4'];

export function scoreLabel(score: number): string {
  return t(SCORE_KEYS[Math.min(4, Math.max(0, Math.round(score)))] ?? 'pass.score0');
}

export class StrengthMeter {
  readonly element: HTMLDivElement;
  /** The id of the text that describes the verdict (for aria-describedby). */
  readonly describedById: string;
  private readonly meter: HTMLMeterElement;
  private readonly verdict: HTMLParagraphElement;
  private readonly reason: HTMLParagraphElement;
  private timer: number | undefined;
  private last: PassphraseAssessment | undefined;

  constructor() {
    this.describedById = uid('strength');
    const labelId = `${this.describedById}-label`;
    this.meter = h('meter', {
      min: 0,
      max: 4,
      low: 2,
      high: 2.5,
      optimum: 4,
      value: 0,
      'aria-labelledby': labelId,
    });
    this.verdict = h('p', { class: 'strength-verdict' }, t('pass.empty'));
    this.reason = h('p', { class: 'strength-reason' });
    this.element = h(
      'div',
      { class: 'strength', 'data-score': 'none' },
      h('span', { class: 'visually-hidden', id: labelId }, t('pass.meter')),
      this.meter,
      h(
        'div',
        { id: this.describedById, 'aria-live': 'polite', 'aria-atomic': 'true' },
        this.verdict,
        this.reason,
      ),
    );
  }

  /** The latest verdict shown, if the estimator had loaded. */
  get assessment(): PassphraseAssessment | undefined {
    return this.last;
  }

  /** Redraw for what is typed now (debounced so typing stays smooth on a phone). */
  update(passphrase: string, context: string[]): void {
    window.clearTimeout(this.timer);
    if (!passphrase) {
      this.show(undefined);
      return;
    }
    this.timer = window.setTimeout(() => {
      this.check(passphrase, context).catch(() => this.showUnavailable());
    }, 120);
  }

  /** Assess now and draw the verdict; rejects only if the estimator cannot load. */
  async check(passphrase: string, context: string[]): Promise<PassphraseAssessment> {
    window.clearTimeout(this.timer);
    const { assess } = await loadEngine();
    const result = assess(passphrase, context, getLanguage());
    this.show(passphrase ? result : undefined);
    return result;
  }

  private show(result: PassphraseAssessment | undefined): void {
    this.last = result;
    if (!result) {
      this.meter.value = 0;
      this.element.dataset.score = 'none';
      this.verdict.textContent = t('pass.empty');
      this.reason.textContent = '';
      return;
    }
    this.meter.value = result.score;
    this.element.dataset.score = String(result.score);
    this.element.dataset.acceptable = String(result.acceptable);
    this.verdict.textContent = t('pass.strength', { label: scoreLabel(result.score), score: result.score });
    this.reason.textContent = result.acceptable ? t('pass.ok') : (result.reason ?? '');
    const suggestion = result.acceptable ? undefined : result.suggestions[0];
    if (suggestion) this.reason.textContent += ` ${suggestion}`;
  }

  private showUnavailable(): void {
    this.element.dataset.score = 'none';
    this.verdict.textContent = t('pass.unavailable');
    this.reason.textContent = '';
  }
}
