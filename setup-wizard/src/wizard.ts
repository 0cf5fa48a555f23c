// The first-run wizard: welcome → [setup code] → owner → device name → time zone & language
// → review → done. One <form> per step; Enter submits; focus goes to each step's heading.
import { api, ApiError } from './api.ts';
import { DEFAULT_DEVICE_NAME, deviceNameProblem, normalizeDeviceName } from './deviceName.ts';
import { focusHeading, h, replace, uid, type Child } from './dom.ts';
import { countdown, errorMessage } from './errors.ts';
import { busy, field, formAlert, input, say, type Field } from './fields.ts';
import { deviceUrl, formatTime, languageName } from './format.ts';
import { signedInLink } from './handoff.ts';
import { getLanguage, LANGUAGES, setLanguage, t, type MessageKey } from './i18n.ts';
import { passphrasePair } from './passphraseFields.ts';
import { startRestore } from './restoreWizard.ts';
import { scoreLabel } from './strength.ts';
import { browserTimeZone, timeZoneSelect } from './timezones.ts';
import type { Language, SetupRequest, Status } from './types.ts';

type StepId = 'welcome' | 'code' | 'owner' | 'device' | 'locale' | 'summary';

const STEP_LABELS: Record<StepId, MessageKey> = {
  welcome: 'step.welcome',
  code: 'step.code',
  owner: 'step.owner',
  device: 'step.device',
  locale: 'step.locale',
  summary: 'step.summary',
};

interface WizardState {
  ownerName: string;
  passphrase: string;
  confirm: string;
  passphraseScore: number | undefined;
  deviceName: string;
  timezone: string;
  language: Language;
  setupCode: string;
}

/** An error to show once a step is drawn: on a field (dotted API path) or in the form's live region. */
interface PendingError {
  field?: string;
  message: string;
}

interface StepView {
  title: MessageKey;
  lead?: Child;
  body: Child[];
  /** Validate and store; resolves false to stay on the step. */
  submit(): Promise<boolean> | boolean;
  /** Remember what is typed so far without checking it (on Back, on a language switch). */
  keep?(): void;
  submitLabel?: string;
  /** Fields by API path, so server errors land where they belong. */
  fields?: Record<string, Field<HTMLInputElement | HTMLSelectElement>>;
  /** Below the step's form, outside its keyboard order (the welcome step's way to a restore). */
  after?: Child;
  /** Replaces the default next-step behaviour (the review step posts instead). */
  advance?: (form: HTMLFormElement, button: HTMLButtonElement, alert: HTMLDivElement) => Promise<void>;
}

export interface WizardHooks {
  /** Setup succeeded and the owner is signed in; go to the home page. */
  onFinished(): void;
  /** The device turned out to be set up already (409); go to sign-in. */
  onAlreadySetUp(): void;
}

export function startWizard(root: HTMLElement, status: Status, hooks: WizardHooks): void {
  const steps: StepId[] = ['welcome', ...(status.setupCodeRequired ? (['code'] as const) : []), 'owner', 'device', 'locale', 'summary'];
  const state: WizardState = {
    ownerName: '',
    passphrase: '',
    confirm: '',
    passphraseScore: undefined,
    deviceName: DEFAULT_DEVICE_NAME,
    timezone: browserTimeZone(),
    language: getLanguage(),
    setupCode: '',
  };
  /** Set when the owner jumped back from the review to change one thing. */
  let returnToSummary = false;

  const context = () => [state.ownerName, state.deviceName];

  function go(step: StepId, options: { error?: PendingError; focus?: 'heading' | string } = {}): void {
    document.title = `${t(STEP_LABELS[step])} · ${t('app.name')}`;
    const view = build(step);
    const index = steps.indexOf(step);
    const headingId = uid('step-title');
    const heading = h('h1', { id: headingId, tabindex: -1 }, t(view.title));
    const alert = formAlert();
    const isSummary = step === 'summary';
    const next = h(
      'button',
      { type: 'submit', class: 'button primary' },
      view.submitLabel ?? (returnToSummary && !isSummary ? t('summary.backToSummary') : t('common.next')),
    );
    const back =
      index > 0
        ? h(
            'button',
            {
              type: 'button',
              class: 'button secondary',
              onclick: () => {
                view.keep?.();
                go(steps[index - 1]!);
              },
            },
            t('common.back'),
          )
        : null;
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': headingId },
      ...view.body,
      alert,
      h('div', { class: 'actions' }, back, next),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void (async () => {
        say(alert, '');
        if (view.advance) {
          await view.advance(form, next, alert);
          return;
        }
        const done = busy(form, next, next.textContent ?? '');
        let ok = false;
        try {
          ok = await view.submit();
        } finally {
          done();
        }
        if (!ok) {
          // The field shows the problem and has focus; the live region says it too.
          const shown = [...form.querySelectorAll('.field-error')].find((element) => element.textContent);
          if (shown?.textContent) say(alert, shown.textContent, 'error', true);
          return;
        }
        if (returnToSummary) go('summary');
        else go(steps[index + 1]!);
      })();
    });

    const progress = h(
      'ol',
      { class: 'steps', 'aria-label': t('step.progress') },
      steps.map((id, i) =>
        h(
          'li',
          { class: i < index ? 'is-done' : i === index ? 'is-current' : '', 'aria-current': i === index ? 'step' : false },
          h('span', { class: 'step-dot', 'aria-hidden': 'true' }, String(i + 1)),
          h('span', { class: 'step-label' }, t(STEP_LABELS[id])),
        ),
      ),
    );

    replace(
      root,
      h(
        'section',
        { class: 'card wizard', 'aria-labelledby': headingId, 'data-step': step },
        progress,
        h('p', { class: 'step-count' }, t('step.of', { n: index + 1, total: steps.length })),
        heading,
        view.lead ? h('div', { class: 'lead' }, view.lead) : null,
        form,
        view.after,
      ),
    );

    if (options.error) {
      const target = options.error.field ? view.fields?.[options.error.field] : undefined;
      say(alert, options.error.message, 'error', Boolean(target));
      if (target) {
        target.setError(options.error.message);
        target.control.focus();
        return;
      }
    }
    if (options.focus && options.focus !== 'heading') {
      const element = document.getElementById(options.focus);
      if (element) {
        element.focus();
        return;
      }
    }
    focusHeading(heading);
  }

  function build(step: StepId): StepView {
    switch (step) {
      case 'welcome':
        return welcomeStep();
      case 'code':
        return codeStep();
      case 'owner':
        return ownerStep();
      case 'device':
        return deviceStep();
      case 'locale':
        return localeStep();
      case 'summary':
        return summaryStep();
    }
  }

  function welcomeStep(): StepView {
    return {
      title: 'welcome.title',
      lead: h('p', null, t('welcome.lead')),
      body: [
        h('p', null, t('welcome.list')),
        h(
          'ul',
          { class: 'checklist' },
          h('li', null, t('welcome.item.owner')),
          h('li', null, t('welcome.item.name')),
          h('li', null, t('welcome.item.locale')),
        ),
        h('p', { class: 'privacy' }, t('welcome.privacy')),
      ],
      after: h(
        'p',
        { class: 'restore-offer' },
        h('button', { type: 'button', class: 'link', onclick: () => startRestore(root, status, { onRestored: hooks.onAlreadySetUp, onCancel: () => go('welcome') }) }, t('restore.start')),
      ),
      submitLabel: t('welcome.start'),
      submit: () => true,
    };
  }

  function codeStep(): StepView {
    const code = field(
      input({ autocomplete: 'one-time-code', required: true, spellcheck: 'false', autocapitalize: 'off', value: state.setupCode }),
      { label: t('code.label'), hint: t('code.hint') },
    );
    code.control.classList.add('mono');
    code.control.addEventListener('input', () => code.setError(null));
    return {
      title: 'code.title',
      lead: h('p', null, t('code.lead')),
      body: [h('fieldset', null, h('legend', null, t('code.legend')), code.wrapper)],
      fields: { setupCode: code },
      keep() {
        state.setupCode = code.control.value.trim();
      },
      // Checked here, so a wrong code is said on its own step rather than after the review.
      async submit() {
        const value = code.control.value.trim();
        if (!value) {
          code.setError(t('code.required'));
          code.control.focus();
          return false;
        }
        try {
          await api('/api/v1/setup/code', { method: 'POST', body: { setupCode: value } });
        } catch (error) {
          if (error instanceof ApiError && error.handled) return false;
          code.setError(errorMessage(error));
          code.control.focus();
          return false;
        }
        state.setupCode = value;
        return true;
      },
    };
  }

  function ownerStep(): StepView {
    const name = field(
      input({ autocomplete: 'username', required: true, maxlength: 64, value: state.ownerName }),
      { label: t('owner.name'), hint: t('owner.nameHint') },
    );
    const pair = passphrasePair({
      label: t('owner.passphrase'),
      confirmLabel: t('owner.confirm'),
      value: state.passphrase,
      confirmValue: state.confirm,
      context,
    });
    name.control.addEventListener('input', () => {
      name.setError(null);
      state.ownerName = name.control.value.trim();
      if (pair.passphrase.control.value) pair.meter.update(pair.passphrase.control.value, context());
    });
    return {
      title: 'owner.title',
      lead: h('p', null, t('owner.lead')),
      body: [
        h('fieldset', null, h('legend', null, t('owner.nameLegend')), name.wrapper),
        h('fieldset', null, h('legend', null, t('owner.passLegend')), pair.passphrase.wrapper, pair.confirm.wrapper, pair.toggle),
      ],
      fields: { 'owner.name': name, 'owner.passphrase': pair.passphrase },
      keep() {
        state.ownerName = name.control.value.trim();
        state.passphrase = pair.passphrase.control.value;
        state.confirm = pair.confirm.control.value;
      },
      async submit() {
        const owner = name.control.value.trim();
        const length = [...owner].length;
        const problem: MessageKey | null =
          length === 0 ? 'owner.nameRequired' : length > 64 ? 'owner.nameTooLong' : /[<>\p{Cc}\p{Cf}]/u.test(owner) ? 'owner.nameChars' : null;
        if (problem) {
          name.setError(t(problem));
          name.control.focus();
          return false;
        }
        state.ownerName = owner;
        if (!(await pair.validate())) return false;
        state.passphrase = pair.passphrase.control.value;
        state.confirm = pair.confirm.control.value;
        state.passphraseScore = pair.meter.assessment?.score;
        return true;
      },
    };
  }

  function deviceStep(): StepView {
    const previewId = uid('preview');
    const preview = h('output', { id: previewId, class: 'address-preview', 'aria-live': 'polite' });
    const name = field(
      input({
        required: true,
        autocomplete: 'off',
        autocapitalize: 'none',
        spellcheck: 'false',
        inputmode: 'url',
        maxlength: 63,
        value: state.deviceName,
      }),
      { label: t('device.label'), hint: t('device.hint'), after: h('p', { class: 'preview-line' }, preview) },
    );
    preview.htmlFor.add(name.control.id);
    name.control.classList.add('mono');
    name.describeBy(previewId);

    const draw = (live: boolean) => {
      const value = normalizeDeviceName(name.control.value);
      const problem = deviceNameProblem(value);
      if (problem) {
        replace(preview, t('device.previewInvalid'));
        preview.classList.add('is-invalid');
      } else {
        replace(preview, t('device.preview'), ' ', h('strong', null, `${value}.local`));
        preview.classList.remove('is-invalid');
      }
      // While typing, only complain about what cannot become right by typing more.
      if (!live || problem === 'device.chars' || problem === 'device.tooLong' || !problem) {
        name.setError(problem ? t(problem) : null);
      }
      return { value, problem };
    };

    name.control.addEventListener('input', () => {
      const control = name.control;
      const lower = control.value.toLowerCase();
      if (lower !== control.value) {
        const { selectionStart, selectionEnd } = control;
        control.value = lower;
        control.setSelectionRange(selectionStart, selectionEnd);
      }
      draw(true);
    });
    draw(true);

    return {
      title: 'device.title',
      lead: h('p', null, t('device.lead')),
      body: [h('fieldset', null, h('legend', null, t('device.legend')), name.wrapper)],
      fields: { 'device.name': name },
      keep() {
        state.deviceName = normalizeDeviceName(name.control.value);
      },
      submit() {
        const { value, problem } = draw(false);
        if (problem) {
          name.control.focus();
          return false;
        }
        name.control.value = value;
        state.deviceName = value;
        return true;
      },
    };
  }

  function localeStep(): StepView {
    const zone = field(timeZoneSelect(state.timezone, { required: true, autocomplete: 'off' }), {
      label: t('locale.tz'),
      hint: t('locale.tzHint'),
    });
    const now = h('p', { class: 'tz-now', id: uid('tz-now') });
    const drawNow = () => {
      now.textContent = t('locale.tzNow', { time: formatTime(new Date(), zone.control.value) });
    };
    drawNow();
    zone.wrapper.append(now);
    zone.describeBy(now.id);
    zone.control.addEventListener('change', () => {
      state.timezone = zone.control.value;
      drawNow();
    });

    const hintId = uid('lang-hint');
    const radios = LANGUAGES.map((lang) => {
      const id = `lang-${lang}`;
      const radio = h('input', { type: 'radio', name: 'language', id, value: lang, checked: lang === state.language });
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        state.language = lang;
        state.timezone = zone.control.value;
        setLanguage(lang); // the whole step redraws in the new language, focus stays on this choice
        go('locale', { focus: id });
      });
      return h('div', { class: 'check' }, radio, h('label', { for: id, lang }, languageName(lang)));
    });
    return {
      title: 'locale.title',
      lead: h('p', null, t('locale.lead')),
      body: [
        h('fieldset', null, h('legend', null, t('locale.tzLegend')), zone.wrapper),
        h(
          'fieldset',
          { class: 'choices', 'aria-describedby': hintId },
          h('legend', null, t('locale.langLegend')),
          h('p', { class: 'hint', id: hintId }, t('locale.langHint')),
          h('div', { class: 'choice-row' }, radios),
        ),
      ],
      fields: { 'device.timezone': zone },
      keep() {
        state.timezone = zone.control.value;
      },
      submit() {
        state.timezone = zone.control.value;
        return true;
      },
    };
  }

  function summaryStep(): StepView {
    returnToSummary = false;
    const rows: Array<[label: string, value: Child, step: StepId, focusKey?: string]> = [];
    if (status.setupCodeRequired) rows.push([t('summary.code'), t('summary.codeValue'), 'code']);
    rows.push(
      [t('summary.owner'), state.ownerName, 'owner'],
      [
        t('summary.passphrase'),
        t('summary.passphraseValue', {
          label: state.passphraseScore === undefined ? '•••' : scoreLabel(state.passphraseScore),
        }),
        'owner',
      ],
      [t('summary.device'), h('span', { class: 'mono' }, state.deviceName), 'device'],
      [t('summary.address'), h('span', { class: 'mono' }, deviceUrl(`${state.deviceName}.local`)), 'device'],
      [t('summary.timezone'), state.timezone, 'locale'],
      [t('summary.language'), languageName(state.language), 'locale'],
    );
    const list = h(
      'dl',
      { class: 'summary' },
      rows.map(([label, value, step]) =>
        h(
          'div',
          { class: 'summary-row' },
          h('dt', null, label),
          h('dd', null, value),
          h(
            'dd',
            { class: 'summary-edit' },
            h(
              'button',
              {
                type: 'button',
                class: 'link',
                'aria-label': t('summary.editItem', { item: label }),
                onclick: () => {
                  returnToSummary = true;
                  go(step);
                },
              },
              t('common.edit'),
            ),
          ),
        ),
      ),
    );

    return {
      title: 'summary.title',
      lead: h('p', null, t('summary.lead')),
      body: [list],
      submitLabel: t('summary.submit'),
      submit: () => true,
      advance: async (form, button, alert) => {
        const request: SetupRequest = {
          owner: { name: state.ownerName, passphrase: state.passphrase },
          device: { name: state.deviceName, timezone: state.timezone, language: state.language },
        };
        if (status.setupCodeRequired) request.setupCode = state.setupCode;
        const done = busy(form, button, t('summary.submitting'));
        try {
          await api('/api/v1/setup', { method: 'POST', body: request });
        } catch (error) {
          done();
          handleSetupError(error, button, alert);
          return;
        }
        done();
        finished();
      },
    };
  }

  function handleSetupError(error: unknown, button: HTMLButtonElement, alert: HTMLDivElement): void {
    const message = errorMessage(error);
    if (!(error instanceof ApiError)) {
      say(alert, message);
      return;
    }
    if (error.code === 'rate_limited') {
      countdown(alert, button, error.retryAfter ?? 60);
      return;
    }
    if (error.code === 'setup_done') {
      say(alert, message);
      alert.append(
        ' ',
        h('button', { type: 'button', class: 'link', onclick: () => hooks.onAlreadySetUp() }, t('summary.goToLogin')),
      );
      return;
    }
    const path = error.field ?? (error.code === 'setup_code_invalid' ? 'setupCode' : error.code === 'weak_passphrase' ? 'owner.passphrase' : undefined);
    const target = stepFor(path);
    if (target) {
      returnToSummary = true;
      go(target, { error: path === undefined ? { message } : { field: path, message } });
      return;
    }
    say(alert, message);
  }

  function stepFor(path: string | undefined): StepId | undefined {
    if (!path) return undefined;
    if (path === 'setupCode') return steps.includes('code') ? 'code' : undefined;
    if (path.startsWith('owner')) return 'owner';
    if (path === 'device.name') return 'device';
    if (path === 'device.timezone' || path === 'device.language') return 'locale';
    return undefined;
  }

  function finished(): void {
    // Forget the secret as soon as it has been used.
    state.passphrase = '';
    state.confirm = '';
    document.title = `${t('done.title')} · ${t('app.name')}`;
    const url = deviceUrl(`${state.deviceName}.local`);
    // Opened as localhost or by its address (a computer running `make run`, a network without
    // mDNS), the .local name may not resolve from here: staying is what surely works.
    const onLocalName = location.hostname.endsWith('.local');
    const open = (kind: string) => signedInLink(h('a', { class: `button ${kind}`, href: `${url}/` }, t('done.open', { url })));
    const continueHere = (kind: string) => h('button', { type: 'button', class: `button ${kind}`, onclick: () => hooks.onFinished() }, t('done.continue'));
    const headingId = uid('done-title');
    const heading = h('h1', { id: headingId, tabindex: -1 }, t('done.title'));
    replace(
      root,
      h(
        'section',
        { class: 'card wizard done', 'aria-labelledby': headingId },
        h('div', { class: 'done-mark', 'aria-hidden': 'true' }, '✓'),
        heading,
        h('p', { class: 'lead' }, t('done.lead', { owner: state.ownerName })),
        h('p', { class: 'address-big mono' }, url),
        h(
          'div',
          { class: 'actions stack' },
          ...(onLocalName
            ? [open('primary'), continueHere('secondary')]
            : [continueHere('primary'), open('secondary')]),
        ),
        h('p', { class: 'hint' }, onLocalName ? t('done.note') : t('done.noteElsewhere', { url })),
      ),
    );
    focusHeading(heading);
  }

  go('welcome');
}
