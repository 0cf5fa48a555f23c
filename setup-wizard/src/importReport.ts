// The report of one import: what was created, updated, left unchanged and rejected, the
// connector's notes, and each rejected record with where it was and why.
import { h, uid, type Child } from './dom.ts';
import { formatNumber } from './format.ts';
import { icon } from './icons.ts';
import { hasMessage, t } from './i18n.ts';
import { PAGE_PATHS } from './pages.ts';
import { statTiles } from './stats.ts';
import type { ImportReport } from './types.ts';

export interface ReportOptions {
  fileName: string;
  connectorName: string;
  /** Collections the connector writes, to offer the page that shows them. */
  collections: string[];
  onAnother(): void;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${formatNumber(ms)} ms` : `${formatNumber(ms / 1000, 1)} s`;
}

type Params = Record<string, string | number>;

/**
 * A note or a rejection reason in the owner's language: the server sends a code with its
 * parameters beside the English text, which stays for codes this UI does not know yet.
 */
function explained(code: string | undefined, params: Params | undefined, english: string): string {
  const key = `report.code.${code}`;
  if (!code || !hasMessage(key)) return english;
  const filled: Params = { ...params };
  // Values the server sends as words of its own (`dmy`, `error`, `credit card`), said here.
  for (const name of WORD_PARAMS) {
    const word = `report.${name}.${filled[name]}`;
    if (name in filled && hasMessage(word)) filled[name] = t(word);
  }
  // An event is named by its summary, in the language's quotes, or as an untitled one.
  if (typeof filled.summary === 'string') filled.event = filled.summary === '' ? t('report.untitledEvent') : t('report.quoted', { text: filled.summary });
  if (typeof filled.intervalSeconds === 'number') filled.interval = interval(filled.intervalSeconds);
  return t(key, filled);
}

const WORD_PARAMS = ['dateOrder', 'severity', 'statement'] as const;

/** An interval in seconds in whole hours, minutes or seconds, as the server's English says it. */
function interval(seconds: number): string {
  if (seconds % 3600 === 0) return t('report.interval.hours', { count: seconds / 3600 });
  if (seconds % 60 === 0) return t('report.interval.minutes', { count: seconds / 60 });
  return t('report.interval.seconds', { count: seconds });
}

/** The notes, then each rejected record with where it was and why (also under a server sync's report). */
export function reportDetails(report: Pick<ImportReport, 'notes' | 'rejections' | 'rejected'>): Child[] {
  const rejectionsId = uid('rejections');
  const rejections =
    report.rejections.length > 0
      ? h(
          'div',
          { class: 'report-section' },
          h('h3', { id: rejectionsId }, t('report.rejectedTitle')),
          report.rejected > report.rejections.length
            ? h('p', { class: 'hint' }, t('report.rejectedFirst', { shown: report.rejections.length, total: report.rejected }))
            : null,
          h(
            'div',
            { class: 'table-scroll', role: 'region', 'aria-labelledby': rejectionsId, tabindex: 0 },
            h(
              'table',
              { class: 'data-table rejections' },
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('report.where')), h('th', { scope: 'col' }, t('report.why')))),
              h(
                'tbody',
                null,
                report.rejections.map((rejection) => h('tr', null, h('th', { scope: 'row', class: 'mono nowrap' }, rejection.location), h('td', null, explained(rejection.code, rejection.params, rejection.reason)))),
              ),
            ),
          ),
        )
      : null;

  const notes =
    report.notes.length > 0
      ? h('div', { class: 'report-section' }, h('h3', null, t('report.notesTitle')), h('ul', { class: 'report-notes' }, report.notes.map((note) => h('li', null, explained(note.code, note.params, note.message)))))
      : null;

  return [notes, rejections];
}

export function importReportCard(report: ImportReport, options: ReportOptions): { element: HTMLElement; heading: HTMLElement } {
  const stored = report.created + report.updated + report.unchanged;
  const outcome = stored === 0 && report.rejected > 0 ? 'failed' : report.rejected > 0 || !report.complete ? 'partial' : 'ok';
  const titleId = uid('report-title');
  const heading = h(
    'h2',
    { id: titleId, tabindex: -1 },
    icon(outcome === 'ok' ? 'check' : 'warning'),
    h(
      'span',
      null,
      outcome === 'failed'
        ? t('report.failed')
        : outcome === 'partial'
          ? t('report.partial', { count: report.rejected })
          : t('report.ok'),
    ),
  );

  const another = h('button', { type: 'button', class: 'button secondary' }, t('report.another'));
  another.addEventListener('click', options.onAnother);
  const onward =
    stored > 0 && options.collections.includes('calls')
      ? h('a', { class: 'button primary', href: PAGE_PATHS.calls }, t('report.openCalls'))
      : stored > 0 && options.collections.includes('bank.transactions')
        ? h('a', { class: 'button primary', href: PAGE_PATHS.spending }, t('report.openSpending'))
        : stored > 0
          ? h('a', { class: 'button primary', href: PAGE_PATHS.home }, t('report.openHome'))
          : null;

  const element = h(
    'section',
    { class: `card report is-${outcome}`, 'aria-labelledby': titleId },
    heading,
    h(
      'p',
      { class: 'report-sub' },
      h('span', { class: 'report-file' }, options.fileName),
      ` · ${options.connectorName} · `,
      t('report.read', { records: report.records, time: seconds(report.durationMs) }),
    ),
    statTiles(t('report.countsLabel'), [
      [t('report.created'), formatNumber(report.created)],
      [t('report.updated'), formatNumber(report.updated)],
      [t('report.unchanged'), formatNumber(report.unchanged)],
      [t('report.rejected'), formatNumber(report.rejected)],
    ]),
    report.complete ? null : h('p', { class: 'notice is-warning' }, t('report.incomplete')),
    reportDetails(report),
    h('div', { class: 'actions' }, another, onward),
  );
  return { element, heading };
}
