// The calendar's two views of the same occurrences: the agenda (day by day, what is on) and the
// month (a grid of weeks). Both link each occurrence to its event's form.
import type { DayEntry } from './calendarData.ts';
import { h } from './dom.ts';
import { formatLongDay, formatTime } from './format.ts';
import { formattingLocale, t } from './i18n.ts';
import type { Occurrence } from './types.ts';
import { addDays, weekday } from './zonedTime.ts';

export const CALENDAR = '/data/calendar';
/** An event's page; for a repeating one, opened at the occurrence that was clicked. */
export const eventPath = (occurrence: Occurrence) =>
  `${CALENDAR}/${encodeURIComponent(occurrence.id)}${occurrence.recurring ? `?${new URLSearchParams({ occurrence: occurrence.start })}` : ''}`;

const utcNoon = (day: string) => Date.parse(`${day}T12:00:00Z`);
const dayFormat = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(formattingLocale(), { ...options, timeZone: 'UTC' });


/** "09:00 – 10:30", "All day", "Continues", as the owner's locale writes times. */
function when(entry: DayEntry, timeZone: string): string {
  const { occurrence } = entry;
  if (occurrence.allDay) return t('calendar.allDay');
  if (entry.startsAt === undefined) return t('calendar.continues');
  const start = formatTime(new Date(occurrence.start), timeZone);
  return occurrence.end && occurrence.end !== occurrence.start ? `${start} – ${formatTime(new Date(occurrence.end), timeZone)}` : start;
}

export function agendaView(days: Map<string, DayEntry[]>, first: string, last: string, timeZone: string, today: string): HTMLElement {
  const shown = [...days.keys()].sort();
  if (shown.length === 0) {
    return h('p', { class: 'empty' }, t('calendar.nothing', { from: formatLongDay(first), to: formatLongDay(last) }));
  }
  return h(
    'div',
    { class: 'agenda' },
    shown.map((day) =>
      h(
        'section',
        { class: 'agenda-day', 'aria-labelledby': `day-${day}` },
        h('h3', { id: `day-${day}` }, h('time', { datetime: day }, formatLongDay(day)), day === today ? h('span', { class: 'badge is-quiet' }, t('calendar.today')) : null),
        h(
          'ul',
          { class: 'agenda-list' },
          days.get(day)!.map((entry) =>
            h(
              'li',
              { class: 'agenda-item' },
              h('span', { class: 'agenda-time' }, when(entry, timeZone)),
              h(
                'span',
                { class: 'agenda-what' },
                h('a', { href: eventPath(entry.occurrence) }, entry.occurrence.summary || t('calendar.untitled')),
                entry.occurrence.location ? h('span', { class: 'agenda-where' }, entry.occurrence.location) : null,
              ),
              entry.occurrence.recurring ? h('span', { class: 'badge is-quiet' }, t('calendar.repeats')) : null,
            ),
          ),
        ),
      ),
    ),
  );
}

/** The first day of the week where the owner lives: Monday in France and Britain, Sunday in the US. */
function firstWeekday(): number {
  const locale = new Intl.Locale(formattingLocale()) as Intl.Locale & { getWeekInfo?(): { firstDay: number }; weekInfo?: { firstDay: number } };
  const firstDay = locale.getWeekInfo?.().firstDay ?? locale.weekInfo?.firstDay ?? 1;
  return firstDay % 7;
}

/** The weeks a month's grid shows, first to last day, whole weeks. */
export function monthGrid(month: string): { first: string; last: string } {
  const start = `${month}-01`;
  const end = addDays(addDays(start, 32).slice(0, 8) + '01', -1);
  const first = addDays(start, -((weekday(start) - firstWeekday() + 7) % 7));
  const last = addDays(end, (firstWeekday() + 6 - weekday(end) + 7) % 7);
  return { first, last };
}

export function monthView(month: string, days: Map<string, DayEntry[]>, timeZone: string, today: string, captionId: string): HTMLElement {
  const { first, last } = monthGrid(month);
  const weeks: string[][] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) {
    if (weeks.length === 0 || weeks.at(-1)!.length === 7) weeks.push([]);
    weeks.at(-1)!.push(day);
  }
  const number = dayFormat({ day: 'numeric' });
  return h(
    'div',
    { class: 'month-scroll' },
    h(
      'table',
      { class: 'month-grid', 'aria-labelledby': captionId },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          weeks[0]!.map((day) => h('th', { scope: 'col', abbr: dayFormat({ weekday: 'long' }).format(utcNoon(day)) }, dayFormat({ weekday: 'short' }).format(utcNoon(day)))),
        ),
      ),
      h(
        'tbody',
        null,
        weeks.map((week) =>
          h(
            'tr',
            null,
            week.map((day) => {
              const entries = days.get(day) ?? [];
              return h(
                'td',
                { class: ['month-day', day.startsWith(month) ? '' : 'is-other', day === today ? 'is-today' : ''].filter(Boolean).join(' ') },
                // The day's number opens the agenda at that day: on a phone, where the titles do not fit, that is the way in.
                h(
                  'a',
                  { class: 'month-date', href: `${CALENDAR}?from=${day}`, 'aria-label': entries.length > 0 ? t('calendar.dayWithEvents', { day: formatLongDay(day), count: entries.length }) : formatLongDay(day), ...(day === today ? { 'aria-current': 'date' } : {}) },
                  number.format(utcNoon(day)),
                ),
                entries.length > 0
                  ? h(
                      'ul',
                      { class: 'month-events' },
                      entries.map((entry) =>
                        h(
                          'li',
                          null,
                          h(
                            'a',
                            { class: `month-event ${entry.occurrence.allDay ? 'is-all-day' : ''}`.trim(), href: eventPath(entry.occurrence), title: `${when(entry, timeZone)} · ${entry.occurrence.summary}` },
                            entry.startsAt ? h('span', { class: 'month-event-time' }, formatTime(new Date(entry.occurrence.start), timeZone)) : null,
                            h('span', { class: 'month-event-title' }, entry.occurrence.summary || t('calendar.untitled')),
                          ),
                        ),
                      ),
                    )
                  : null,
              );
            }),
          ),
        ),
      ),
    ),
  );
}
