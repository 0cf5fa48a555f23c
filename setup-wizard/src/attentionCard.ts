// "Needs your attention" on Home: what the owner should do, each with the way to do it — a full
// disk, backups not set up or failing, the emergency kit not kept, an update rolled back or
// waiting, no second sign-in step, bills no payment matched. Each question is asked on its own:
// one that fails leaves the others said.
import { api } from './api.ts';
import { h, replace } from './dom.ts';
import { icon } from './icons.ts';
import { t, type MessageKey } from './i18n.ts';
import type { BackupSettings, BackupStatus, BillPaymentsAnswer, Factors, Status, UpdateView } from './types.ts';

interface Concern {
  text: MessageKey;
  params?: Record<string, string | number>;
  action: MessageKey;
  href: string;
  urgent?: boolean;
}

type Check = (signal: AbortSignal) => Promise<Concern[]>;

const CHECKS: Check[] = [
  async (signal) => ((await api<Status>('/api/v1/status', { signal })).diskFull ? [{ text: 'attention.diskFull', action: 'attention.diskFullAction', href: '/settings#backups', urgent: true }] : []),
  async (signal) => {
    const settings = await api<BackupSettings>('/api/v1/backups/settings', { signal });
    if (!settings.configured) return [{ text: 'attention.noBackups', action: 'attention.setUpBackups', href: '/settings#backups' }];
    const status = await api<BackupStatus>('/api/v1/backups/status', { signal });
    const concerns: Concern[] = [];
    if (status.last && status.last.failures.length > 0) concerns.push({ text: 'attention.backupFailed', action: 'attention.seeBackups', href: '/settings#backups', urgent: true });
    else if (status.overdue) concerns.push({ text: 'attention.backupOverdue', action: 'attention.seeBackups', href: '/settings#backups' });
    if (!settings.kitKept) concerns.push({ text: 'attention.kit', action: 'attention.seeBackups', href: '/settings#backups' });
    return concerns;
  },
  async (signal) => {
    const update = await api<UpdateView>('/api/v1/system/update', { signal });
    const concerns: Concern[] = [];
    if (update.last?.result === 'rolled-back') concerns.push({ text: 'attention.rolledBack', params: { version: update.last.to }, action: 'attention.seeUpdates', href: '/settings#updates', urgent: true });
    const newest = update.feed.available.at(-1);
    if (newest) concerns.push({ text: 'attention.update', params: { version: newest.version }, action: 'attention.seeUpdates', href: '/settings#updates' });
    return concerns;
  },
  async (signal) => {
    const factors = await api<Factors>('/api/v1/auth/factors', { signal });
    return factors.totp.on || factors.passkeys.length > 0 ? [] : [{ text: 'attention.secondFactor', action: 'attention.turnOn', href: '/settings/security' }];
  },
  async (signal) => {
    const { unmatched } = await api<BillPaymentsAnswer>('/api/v1/mashups/bill-payments', { signal });
    return unmatched.length > 0 ? [{ text: 'attention.bills', params: { count: unmatched.length }, action: 'attention.seeBills', href: '/data/bills' }] : [];
  },
];

export function attentionCard(): { element: HTMLElement; stop(): void } {
  const controller = new AbortController();
  const body = h('div', null, h('p', { class: 'updated' }, t('app.loading')));
  const element = h('section', { class: 'card attention-card', 'aria-labelledby': 'attention-title', 'aria-busy': 'true' }, h('h2', { id: 'attention-title' }, t('attention.title')), body);

  void Promise.allSettled(CHECKS.map((check) => check(controller.signal))).then((answers) => {
    if (controller.signal.aborted) return;
    const concerns = answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []));
    concerns.sort((a, b) => Number(Boolean(b.urgent)) - Number(Boolean(a.urgent)));
    replace(
      body,
      concerns.length === 0
        ? h('p', { class: 'attention-none' }, icon('check'), t('attention.none'))
        : h(
            'ul',
            { class: 'attention-list' },
            concerns.map((concern) =>
              h(
                'li',
                { class: concern.urgent ? 'is-urgent' : false },
                icon('warning'),
                h('span', null, t(concern.text, concern.params), ' ', h('a', { href: concern.href }, t(concern.action))),
              ),
            ),
          ),
      answers.some((answer) => answer.status === 'rejected') ? h('p', { class: 'hint' }, t('attention.partial')) : null,
    );
    element.removeAttribute('aria-busy');
  });
  return { element, stop: () => controller.abort() };
}
