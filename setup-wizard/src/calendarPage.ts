// Calendar: the owner's events, recurring ones expanded by the server, shown in the device's time
// zone as an agenda (four weeks, day by day) or a month grid. The view and the days shown live in
// the address (?view=month&month=2026-12, ?from=2026-12-07), so Back and reload keep them.
import { ApiError } from './api.ts';
import { occurrencesByDay, today } from './calendarData.ts';
import { agendaView, CALENDAR, monthGrid, monthView } from './calendarViews.ts';
import { dataPageHead, exportCard } from './dataParts.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { errorMessage } from './errors.ts';
import { icon } from './icons.ts';
import { formattingLocale, t } from './i18n.ts';
import type { Page } from './pages.ts';
import { monthLabel } from './period.ts';
import { browserTimeZone, timeZoneName } from './timezones.ts';
import { addDays, knownZone } from './zonedTime.ts';

type View = 'agenda' | 'month';
const AGENDA_DAYS = 28;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function addMonths(month: string, count: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + number - 1 + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const showCalendar: Page = (root, context) => {
  const timeZone = knownZone(context.device?.timezone) ? context.device.timezone : browserTimeZone();
  const now = today(timeZone);
  let view: View = context.params.get('view') === 'month' ? 'month' : 'agenda';
  const from = context.params.get('from');
  const month = context.params.get('month');
  /** The day the owner is looking at: the agenda's first day, or a day of the month shown. */
  let anchor = from && DAY.test(from) ? from : month && MONTH.test(month) ? `${month}-01` : now;
  let request: AbortController | undefined;
  const controller = new AbortController();

  const add = h('a', { class: 'button primary small', href: `${CALENDAR}/new` }, icon('plus'), t('calendar.add'));
  const heading = dataPageHead(root, context, t('calendar.title'), t('calendar.lead', { zone: timeZoneName(timeZone) }), add);

  const viewName = uid('view');
  const radios = (['agenda', 'month'] as const).map((value) => {
    const id = uid('view');
    const radio = h('input', { type: 'radio', name: viewName, id, value, checked: value === view });
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      view = value;
      // A month opens at the month the agenda started in; an agenda at today when that month holds it.
      if (view === 'agenda' && anchor.slice(0, 7) === now.slice(0, 7)) anchor = now;
      void load();
    });
    return h('span', { class: 'segment' }, radio, h('label', { for: id }, t(value === 'agenda' ? 'calendar.agenda' : 'calendar.month')));
  });
  const viewToggle = h('fieldset', { class: 'segmented' }, h('legend', { class: 'visually-hidden' }, t('calendar.view')), radios);
  const previous = h('button', { type: 'button', class: 'button secondary small' }, t('calendar.previous'));
  const todayButton = h('button', { type: 'button', class: 'button secondary small' }, t('calendar.today'));
  const next = h('button', { type: 'button', class: 'button secondary small' }, t('calendar.next'));
  const rangeId = uid('range');
  const range = h('h2', { id: rangeId, class: 'calendar-range' });
  const status = h('p', { class: 'page-status', role: 'status' });
  const body = h('div', { class: 'calendar-body' });
  const card = h(
    'section',
    { class: 'card calendar-card', 'aria-labelledby': rangeId },
    h('div', { class: 'calendar-toolbar' }, range, h('div', { class: 'calendar-controls' }, viewToggle, h('div', { class: 'calendar-steps' }, previous, todayButton, next))),
    status,
    body,
  );
  root.append(card, exportCard(['calendar.events'], controller.signal));

  const step = (direction: 1 | -1) => {
    anchor = view === 'month' ? `${addMonths(anchor.slice(0, 7), direction)}-01` : addDays(anchor, direction * AGENDA_DAYS);
    void load();
  };
  previous.addEventListener('click', () => step(-1));
  next.addEventListener('click', () => step(1));
  todayButton.addEventListener('click', () => {
    anchor = now;
    void load();
  });

  async function load(): Promise<void> {
    request?.abort();
    request = new AbortController();
    const shownMonth = anchor.slice(0, 7);
    const { first, last } = view === 'month' ? monthGrid(shownMonth) : { first: anchor, last: addDays(anchor, AGENDA_DAYS - 1) };
    const params = view === 'month' ? new URLSearchParams({ view, month: shownMonth }) : new URLSearchParams(anchor === now ? {} : { from: anchor });
    context.replaceParams(params);
    // A new event starts on the first day shown, or today when today is shown.
    add.setAttribute('href', `${CALENDAR}/new?date=${now >= first && now <= last && now.startsWith(view === 'month' ? shownMonth : '') ? now : view === 'month' ? `${shownMonth}-01` : first}`);
    range.textContent = view === 'month' ? monthLabel(shownMonth) : t('calendar.agendaRange', { from: shortDay(first), to: shortDay(last) });
    card.setAttribute('aria-busy', 'true');
    status.textContent = t('app.loading');
    try {
      const days = await occurrencesByDay(first, last, timeZone, request.signal);
      replace(body, view === 'month' ? monthView(shownMonth, days, timeZone, now, rangeId) : agendaView(days, first, last, timeZone, now));
      status.textContent = '';
    } catch (error) {
      if (request.signal.aborted || (error instanceof ApiError && error.handled)) return;
      replace(body);
      status.textContent = t('data.readError', { message: errorMessage(error) });
    } finally {
      card.removeAttribute('aria-busy');
    }
  }

  void load();
  focusHeading(heading);
  return () => {
    controller.abort();
    request?.abort();
  };
};

/** "7 Dec" */
function shortDay(day: string): string {
  return new Intl.DateTimeFormat(formattingLocale(), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.parse(`${day}T12:00:00Z`));
}
