// Add, edit or delete a calendar event. Times are entered as a clock in the event's time zone
// shows them (the device's by default) and stored with that zone and its offset, so a weekly
// 09:00 stays at 09:00 after the clocks change.
import { api, ApiError } from './api.ts';
import { CALENDAR } from './calendarViews.ts';
import { dataPageHead } from './dataParts.ts';
import { confirmDialog } from './dialog.ts';
import { focusHeading, h, replace, uid } from './dom.ts';
import { errorMessage } from './errors.ts';
import { formatLongDay } from './format.ts';
import { busy, field, formAlert, say } from './fields.ts';
import { t, type MessageKey } from './i18n.ts';
import type { Page } from './pages.ts';
import { browserTimeZone, timeZoneSelect } from './timezones.ts';
import type { CalendarEvent, StoredDocument } from './types.ts';
import { addDays, instantOf, isoInZone, knownZone, wallClock } from './zonedTime.ts';

const documentUrl = (id: string) => `/api/v1/collections/calendar.events/${encodeURIComponent(id)}`;
const REPEATS: Array<[rule: string, label: MessageKey]> = [
  ['', 'event.repeatNever'],
  ['FREQ=DAILY', 'event.repeatDaily'],
  ['FREQ=WEEKLY', 'event.repeatWeekly'],
  ['FREQ=MONTHLY', 'event.repeatMonthly'],
  ['FREQ=YEARLY', 'event.repeatYearly'],
];

/**
 * The occurrence of a repeating event the form was opened at (`?occurrence=`, the start the
 * calendar expanded), if it is one of that event's kind: a date for all-day events, else an instant.
 */
function askedOccurrence(event: CalendarEvent | undefined, raw: string | null): string | undefined {
  if (!event?.rrule || event.recurrenceId || !raw || Number.isNaN(Date.parse(raw))) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) === event.allDay ? raw : undefined;
}

/** The event moved to one of its occurrences: the same length, starting there. */
function atOccurrence(event: CalendarEvent, start: string): CalendarEvent {
  if (!event.end) return { ...event, start };
  if (event.allDay) {
    const days = Math.round((Date.parse(event.end.slice(0, 10)) - Date.parse(event.start.slice(0, 10))) / 86_400_000);
    return { ...event, start, end: addDays(start, days) };
  }
  return { ...event, start, end: new Date(Date.parse(start) + Date.parse(event.end) - Date.parse(event.start)).toISOString() };
}

/** The day an occurrence starts on, as the event's own zone has it. */
const occurrenceDay = (event: CalendarEvent, start: string, zone: string) => (event.allDay ? start.slice(0, 10) : wallClock(Date.parse(start), zone).date);

/** The form's values from an event: its start and end as its own zone's clock shows them. */
function formValues(event: CalendarEvent | undefined, day: string, zone: string) {
  if (!event) return { startDate: day, startTime: '09:00', endDate: day, endTime: '10:00' };
  if (event.allDay) {
    const start = event.start.slice(0, 10);
    return { startDate: start, startTime: '09:00', endDate: event.end ? addDays(event.end.slice(0, 10), -1) : start, endTime: '10:00' };
  }
  const start = wallClock(Date.parse(event.start), zone);
  const end = wallClock(Date.parse(event.end ?? event.start), zone);
  return { startDate: start.date, startTime: start.time, endDate: end.date, endTime: end.time };
}

export function showEventForm(id: string | undefined): Page {
  return (root, context) => {
    const controller = new AbortController();
    const deviceZone = knownZone(context.device?.timezone) ? context.device.timezone : browserTimeZone();
    replace(root, h('p', { class: 'updated' }, t('app.loading')));
    void (async () => {
      let existing: StoredDocument<CalendarEvent> | undefined;
      if (id !== undefined) {
        try {
          existing = await api<StoredDocument<CalendarEvent>>(documentUrl(id), { signal: controller.signal });
        } catch (error) {
          if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
          const heading = dataPageHead(root, context, t('event.notFound'), '');
          root.append(h('p', { class: 'form-alert', role: 'alert' }, errorMessage(error)));
          focusHeading(heading);
          return;
        }
      }
      if (!controller.signal.aborted) draw(existing);
    })();

    function draw(existing: StoredDocument<CalendarEvent> | undefined): void {
      const before = existing?.data;
      const zone = knownZone(before?.timezone) ? before.timezone : deviceZone;
      const askedDay = context.params.get('date');
      const day = askedDay && /^\d{4}-\d{2}-\d{2}$/.test(askedDay) ? askedDay : wallClock(Date.now(), deviceZone).date;
      // Opened at one time of a repeating event: a change or a deletion is for that time only,
      // unless the owner chooses every time.
      const occurrence = askedOccurrence(before, context.params.get('occurrence'));
      const values = formValues(occurrence ? atOccurrence(before!, occurrence) : before, day, zone);
      const title = existing ? t('event.editTitle', { summary: before!.summary || t('calendar.untitled') }) : t('event.addTitle');
      const remove = existing ? h('button', { type: 'button', class: 'button danger-quiet small' }, t('event.delete')) : null;
      const lead = occurrence ? 'event.leadOccurrence' : before?.rrule ? 'event.leadRecurring' : 'event.lead';
      const heading = dataPageHead(root, context, title, t(lead), remove);

      const scopeName = uid('scope');
      const onlyThis = h('input', { type: 'radio', name: scopeName, id: uid('scope'), value: 'one', checked: true });
      const everyTime = h('input', { type: 'radio', name: scopeName, id: uid('scope'), value: 'all' });
      const single = () => occurrence !== undefined && onlyThis.checked;
      const scope = occurrence
        ? h(
            'fieldset',
            { class: 'event-scope' },
            h('legend', null, t('event.scope')),
            h(
              'div',
              { class: 'choice-row compact' },
              h('span', { class: 'check' }, onlyThis, h('label', { for: onlyThis.id }, t('event.scopeOne', { day: formatLongDay(occurrenceDay(before!, occurrence, zone)) }))),
              h('span', { class: 'check' }, everyTime, h('label', { for: everyTime.id }, t('event.scopeAll'))),
            ),
          )
        : null;

      const summary = field(h('input', { type: 'text', value: before?.summary ?? '', required: true, maxlength: '1000', autocomplete: 'off' }), { label: t('event.summary') });
      const allDay = h('input', { type: 'checkbox', id: 'event-all-day', checked: before?.allDay ?? false, disabled: occurrence !== undefined });
      const startDate = field(h('input', { type: 'date', value: values.startDate, required: true }), { label: t('event.startDate') });
      const startTime = field(h('input', { type: 'time', value: values.startTime, required: true }), { label: t('event.startTime') });
      const endDate = field(h('input', { type: 'date', value: values.endDate, required: true }), { label: t('event.endDate') });
      const endTime = field(h('input', { type: 'time', value: values.endTime, required: true }), { label: t('event.endTime') });
      const timezone = field(timeZoneSelect(zone), { label: t('event.timezone'), hint: t('event.timezoneHint') });
      const known = REPEATS.some(([rule]) => rule === (before?.rrule ?? ''));
      const repeat = field(
        h(
          'select',
          null,
          REPEATS.map(([rule, label]) => h('option', { value: rule }, t(label))),
          // A rule from another calendar app that this form cannot write: kept as it is unless changed.
          known ? null : h('option', { value: before!.rrule! }, t('event.repeatCustom')),
        ),
        { label: t('event.repeat') },
      );
      repeat.control.value = before?.rrule ?? '';
      const location = field(h('input', { type: 'text', value: before?.location ?? '', maxlength: '1000', autocomplete: 'off' }), { label: t('event.location'), hint: t('bills.optional') });
      const description = field(h('textarea', { rows: 3, maxlength: '20000' }), { label: t('event.description'), hint: t('bills.optional') });
      description.control.value = before?.description ?? '';
      const alert = formAlert();
      const save = h('button', { type: 'submit', class: 'button primary' }, t(existing ? 'event.save' : 'event.create'));
      const timed = [startTime.wrapper, endTime.wrapper, timezone.wrapper];
      const showTimes = () => {
        for (const wrapper of timed) wrapper.hidden = allDay.checked;
      };
      allDay.addEventListener('change', showTimes);
      showTimes();
      // Moving the start moves the end with it, keeping the length, as calendar apps do.
      startDate.control.addEventListener('change', () => {
        if (endDate.control.value < startDate.control.value) endDate.control.value = startDate.control.value;
      });
      // One time shows that time's dates and cannot repeat; every time shows the series' own.
      const showScope = () => {
        const shown = formValues(single() ? atOccurrence(before!, occurrence!) : before, day, zone);
        startDate.control.value = shown.startDate;
        startTime.control.value = shown.startTime;
        endDate.control.value = shown.endDate;
        endTime.control.value = shown.endTime;
        repeat.wrapper.hidden = single();
        allDay.disabled = single();
      };
      onlyThis.addEventListener('change', showScope);
      everyTime.addEventListener('change', showScope);
      if (occurrence) repeat.wrapper.hidden = true;

      const form = h(
        'form',
        { class: 'card event-form', novalidate: true, 'aria-labelledby': 'event-form-title' },
        h('h2', { id: 'event-form-title', class: 'visually-hidden' }, title),
        alert,
        scope,
        summary.wrapper,
        h('div', { class: 'check' }, allDay, h('label', { for: allDay.id }, t('event.allDay'))),
        h('div', { class: 'field-pair' }, startDate.wrapper, startTime.wrapper),
        h('div', { class: 'field-pair' }, endDate.wrapper, endTime.wrapper),
        timezone.wrapper,
        repeat.wrapper,
        location.wrapper,
        description.wrapper,
        h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: CALENDAR }, t('common.cancel')), save),
      );
      root.append(form);

      remove?.addEventListener('click', () => {
        void (async () => {
          const body = single()
            ? t('event.deleteBodyOne', { day: formatLongDay(occurrenceDay(before!, occurrence!, zone)) })
            : t(before!.rrule ? 'event.deleteBodyRecurring' : 'event.deleteBody');
          if (!(await confirmDialog({ title: t('event.deleteTitle', { summary: before!.summary || t('calendar.untitled') }), body, confirm: t('event.delete'), danger: true }))) return;
          try {
            if (single()) await api(documentUrl(existing!.id), { method: 'PUT', body: { ...before!, exdates: [...before!.exdates, occurrence!] } });
            else await deleteEvent(existing!);
            context.navigate(`${CALENDAR}?from=${single() ? occurrenceDay(before!, occurrence!, zone) : formValues(before, '', zone).startDate}`);
          } catch (error) {
            if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
          }
        })();
      });

      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const eventZone = timezone.control.value;
        const start = allDay.checked ? startDate.control.value : isoOrEmpty(startDate.control.value, startTime.control.value, eventZone);
        const end = allDay.checked ? endDate.control.value : isoOrEmpty(endDate.control.value, endTime.control.value, eventZone);
        const endsBefore = allDay.checked ? end < start : Date.parse(end) < Date.parse(start);
        const checks: Array<[{ control: HTMLElement; setError(message: string | null): void }, string | null]> = [
          [summary, summary.control.value.trim() ? null : t('event.summaryRequired')],
          [startDate, startDate.control.value ? null : t('event.startRequired')],
          [startTime, allDay.checked || startTime.control.value ? null : t('event.startRequired')],
          [endDate, endDate.control.value && (allDay.checked || endTime.control.value) ? (start && end && endsBefore ? t('event.endBeforeStart') : null) : t('event.endRequired')],
        ];
        for (const [entry, message] of checks) entry.setError(message);
        const wrong = checks.find(([, message]) => message);
        if (wrong) {
          say(alert, wrong[1]!, 'error', true);
          wrong[0].control.focus();
          return;
        }
        // What the form does not show (the calendar it came from, its status…) is kept as it was;
        // the optional fields it shows are written afresh, so emptying one removes it.
        // One time of a repeating event becomes an event of its own that stands in for that time
        // (iCalendar's RECURRENCE-ID: the same UID, the start it replaces).
        const { location: _place, description: _notes, rrule: _rule, timezone: _zone, ...kept } = before ?? { exdates: [] as string[] };
        const data: CalendarEvent = {
          ...kept,
          uid: before?.uid ?? `${crypto.randomUUID()}@hearth`,
          summary: summary.control.value.trim(),
          allDay: allDay.checked,
          start,
          // iCalendar's all-day end is the day after the last.
          end: allDay.checked ? addDays(end, 1) : end,
          exdates: single() ? [] : (before?.exdates ?? []),
          ...(single() ? { recurrenceId: occurrence! } : {}),
          ...(allDay.checked ? {} : { timezone: eventZone }),
          ...(repeat.control.value && !single() ? { rrule: repeat.control.value } : {}),
          ...(location.control.value.trim() ? { location: location.control.value.trim() } : {}),
          ...(description.control.value.trim() ? { description: description.control.value.trim() } : {}),
        };
        const target = existing && !single() ? existing.id : `event-${crypto.randomUUID()}`;
        const done = busy(form, save, t('common.working'));
        void (async () => {
          try {
            await api(documentUrl(target), { method: 'PUT', body: data });
            context.navigate(`${CALENDAR}?from=${data.start.slice(0, 10)}`);
          } catch (error) {
            done();
            if (error instanceof ApiError && error.handled) return;
            say(alert, t('event.saveError', { message: errorMessage(error) }));
          }
        })();
      });
      focusHeading(heading);
    }
    return () => controller.abort();
  };
}

/**
 * Deletes an event and what belongs to it: a repeating event's times that were changed one by
 * one go with it; a time changed on its own leaves the repeating event without that time (or the
 * time it stood in for would come back).
 */
async function deleteEvent(event: StoredDocument<CalendarEvent>): Promise<void> {
  const { items } = await api<{ items: Array<StoredDocument<CalendarEvent>> }>(`/api/v1/collections/calendar.events?${new URLSearchParams({ uid: event.data.uid, limit: '500' })}`);
  if (event.data.recurrenceId) {
    const series = items.find((item) => item.data.rrule && !item.data.recurrenceId);
    if (series) await api(documentUrl(series.id), { method: 'PUT', body: { ...series.data, exdates: [...series.data.exdates, event.data.recurrenceId] } });
  } else if (event.data.rrule) {
    for (const item of items) if (item.id !== event.id && item.data.recurrenceId) await api(documentUrl(item.id), { method: 'DELETE' });
  }
  await api(documentUrl(event.id), { method: 'DELETE' });
}

/** The event time as stored (with the zone's offset), or '' while the fields are incomplete. */
function isoOrEmpty(date: string, time: string, zone: string): string {
  return date && time ? isoInZone(instantOf(date, time, zone), zone) : '';
}
