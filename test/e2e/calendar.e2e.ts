// The calendar in a real Chromium against a real hearthd: a weekly event from the API shows every
// week in the agenda at the device's time (Paris) although the browser is in New York; the owner
// adds an event, sees it in the agenda and in the month, edits and deletes it. On a desktop in
// English, then on a phone in French. Screenshots land in test-results/e2e/calendar-NN-step.png.
import type { Browser, Page } from 'playwright-core';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPage, frenchPhone, heading, launchChromium, openContext, screenshots, settled, signIn } from '../helpers/browser.ts';
import { createClient, OWNER, setupBody, type Client } from '../helpers/client.ts';
import { startDaemon } from '../helpers/daemon.ts';

let browser: Browser;
let daemon: Awaited<ReturnType<typeof startDaemon>>;
let api: Client;
const problems: string[] = [];
const shot = screenshots('calendar');

/** Today and days from it, as a Paris calendar has them. */
const parisDay = (plusDays = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(Date.now() + plusDays * 86_400_000);

test.before(async () => {
  browser = await launchChromium();
  daemon = await startDaemon();
  api = createClient(daemon.httpsUrl, daemon.caPem);
  assert.ok((await api.post('/api/v1/setup', setupBody())).status < 300);
  assert.ok((await api.post('/api/v1/session', OWNER)).status < 300);
  // Tuesdays at 19:30 in Paris since January: in winter and summer time alike.
  const choir = await api.request('PUT', '/api/v1/collections/calendar.events/choir', {
    body: { uid: 'choir@test', summary: 'Choir practice', start: '2026-01-06T19:30:00+01:00', end: '2026-01-06T21:00:00+01:00', allDay: false, timezone: 'Europe/Paris', rrule: 'FREQ=WEEKLY', exdates: [], location: 'Salle des fêtes' },
  });
  assert.ok(choir.status < 300, choir.text);
});

/** Back to the four weeks from today, once they are shown (a change opens the calendar at its day). */
async function backToToday(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Today' }).click();
  await page.waitForURL((url) => !url.searchParams.has('from'));
  await settled(page);
}

test.after(async () => {
  api?.close();
  await browser?.close();
  await daemon?.stop();
});

test('a weekly event shows every week at the device’s time; an event added shows in the agenda and the month, then is edited and deleted', async () => {
  // The browser is in New York: 19:30 in Paris is 13:30 there, and the calendar says 19:30.
  const context = await openContext(browser, problems, { timezoneId: 'America/New_York' });
  const page = await context.newPage();
  await signIn(page, daemon.httpsUrl, 'casa');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).click();
  await page.getByRole('region', { name: 'Calendar events' }).getByRole('link', { name: 'Calendar events', exact: true }).click();
  await heading(page, 'Calendar');
  await page.getByText('Paris (Central European Time)', { exact: false }).waitFor();
  const agenda = page.getByRole('region', { name: /–/ });
  await agenda.getByRole('link', { name: 'Choir practice' }).first().waitFor();
  assert.is(await agenda.getByRole('link', { name: 'Choir practice' }).count(), 4, 'four Tuesdays in four weeks');
  assert.is(await agenda.getByText('19:30 – 21:00').count(), 4);
  assert.is(await agenda.getByText('13:30').count(), 0, 'not the browser’s zone');
  await checkPage(page, 'the agenda');
  await shot(page, 'agenda');

  const day = parisDay(2);
  await page.getByRole('link', { name: 'Add an event' }).click();
  await heading(page, 'Add an event');
  await page.getByRole('button', { name: 'Add the event' }).click();
  await page.getByText('Say what the event is.').first().waitFor();
  await page.getByLabel('What', { exact: true }).fill('Dentist');
  await page.getByLabel('Starts on').fill(day);
  await page.getByLabel('Starts at').fill('14:00');
  await page.getByLabel('Ends on').fill(day);
  await page.getByLabel('Ends at').fill('14:30');
  await page.getByLabel('Where').fill('12 rue des Lilas');
  await checkPage(page, 'the event form');
  await shot(page, 'event-form');
  await page.getByRole('button', { name: 'Add the event' }).click();

  await heading(page, 'Calendar');
  const dentist = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Dentist' }) });
  await dentist.getByText('14:00 – 14:30').waitFor();
  await dentist.getByText('12 rue des Lilas').waitFor();
  const stored = await api.get(`/api/v1/collections/calendar.events?q=Dentist`);
  const event = (stored.body as { items: Array<{ data: { start: string; timezone: string } }> }).items[0]!.data;
  assert.match(event.start, new RegExp(`^${day}T14:00:00\\+0[12]:00$`), 'stored at 14:00 Paris time, with its offset');
  assert.is(event.timezone, 'Europe/Paris');

  await page.getByText('Month', { exact: true }).click();
  const month = page.getByRole('table');
  await month.getByRole('link', { name: /Dentist/ }).waitFor();
  assert.ok((await month.getByRole('link', { name: /Choir practice/ }).count()) >= 4, 'every Tuesday of the month');
  await page.waitForURL(/view=month&month=\d{4}-\d{2}/);
  await checkPage(page, 'the month');
  await shot(page, 'month');

  await month.getByRole('link', { name: /Dentist/ }).click();
  await heading(page, 'Edit Dentist');
  await page.getByLabel('What', { exact: true }).fill('Dentist, Dr Roux');
  await page.getByRole('button', { name: 'Save' }).click();
  await heading(page, 'Calendar');
  await page.getByRole('link', { name: 'Dentist, Dr Roux' }).click();
  await heading(page, 'Edit Dentist, Dr Roux');
  await page.getByRole('button', { name: 'Delete the event' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete Dentist, Dr Roux?' });
  await dialog.getByRole('button', { name: 'Delete the event' }).click();
  await heading(page, 'Calendar');
  await page.getByRole('link', { name: 'Choir practice' }).first().waitFor();
  assert.is(await page.getByRole('link', { name: /Dentist/ }).count(), 0, 'deleted');

  // A repeating event opened at one of its times: a change is for that time only, unless the
  // owner chooses every time.
  const choir = agenda.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Choir practice' }) });
  const secondDay = await choir.nth(1).locator('xpath=ancestor::*[h3][1]/h3/time').getAttribute('datetime');
  await choir.nth(1).getByRole('link', { name: 'Choir practice' }).click();
  await heading(page, 'Edit Choir practice');
  await page.getByText('This event repeats').waitFor();
  const scope = page.getByRole('group', { name: 'Change or delete' });
  assert.ok(await scope.getByLabel(/^Only on /).isChecked(), 'this time only, by default');
  assert.is(await page.getByLabel('Starts on').inputValue(), secondDay, 'the form shows the time that was clicked');
  assert.is(await page.getByLabel('Starts at').inputValue(), '19:30');
  assert.not.ok(await page.getByLabel('Repeats').isVisible(), 'one time does not repeat');
  await checkPage(page, 'one time of a repeating event');
  await shot(page, 'one-time');
  await page.getByLabel('Starts at').fill('20:00');
  await page.getByLabel('Ends at').fill('21:30');
  await page.getByRole('button', { name: 'Save' }).click();
  await heading(page, 'Calendar');
  await backToToday(page);
  await choir.getByText('20:00 – 21:30').waitFor();
  assert.is(await choir.count(), 4, 'still four Tuesdays');
  assert.is(await choir.getByText('19:30 – 21:00').count(), 3, 'the other three at their time');
  const series = (await api.get('/api/v1/collections/calendar.events?uid=choir%40test')).body as { items: Array<{ id: string; data: { recurrenceId?: string; rrule?: string } }> };
  assert.is(series.items.length, 2);
  assert.ok(series.items.some((item) => item.data.recurrenceId?.startsWith(secondDay!) && !item.data.rrule), 'stored as an event standing in for that time');

  // One time deleted: the others stay.
  await choir.filter({ hasText: '19:30 – 21:00' }).nth(1).getByRole('link', { name: 'Choir practice' }).click();
  await heading(page, 'Edit Choir practice');
  await page.getByRole('button', { name: 'Delete the event' }).click();
  const deleteOne = page.getByRole('dialog', { name: 'Delete Choir practice?' });
  await deleteOne.getByText('the other times stay').waitFor();
  await deleteOne.getByRole('button', { name: 'Delete the event' }).click();
  await heading(page, 'Calendar');
  await backToToday(page);
  await choir.getByText('20:00 – 21:30').waitFor();
  assert.is(await choir.count(), 3, 'one Tuesday fewer');

  // The time changed on its own, deleted: it does not come back at its old time.
  await choir.filter({ hasText: '20:00 – 21:30' }).getByRole('link', { name: 'Choir practice' }).click();
  await heading(page, 'Edit Choir practice');
  assert.is(await page.getByRole('group', { name: 'Change or delete' }).count(), 0, 'a time changed on its own is an event of its own');
  await page.getByRole('button', { name: 'Delete the event' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete the event' }).click();
  await heading(page, 'Calendar');
  await backToToday(page);
  assert.is(await choir.count(), 2);

  // Every time: the form shows the series and its rule.
  await choir.first().getByRole('link', { name: 'Choir practice' }).click();
  await heading(page, 'Edit Choir practice');
  await page.getByRole('group', { name: 'Change or delete' }).getByLabel('Every time').check();
  assert.is(await page.getByLabel('Starts on').inputValue(), '2026-01-06', 'the first time');
  assert.is(await page.getByLabel('Repeats').inputValue(), 'FREQ=WEEKLY');
  await context.close();
});

test('on a phone in French: the month shows a dot per event, the day opens its agenda, an all-day event is added', async () => {
  const { context, page } = await frenchPhone(browser, problems, api, daemon.httpsUrl);
  try {
    await page.goto(`${daemon.httpsUrl}/data/calendar?view=month`);
    await heading(page, 'Agenda');
    await page.getByText('heure d’Europe centrale', { exact: false }).first().waitFor();
    const month = page.getByRole('table');
    await month.getByRole('link', { name: /Choir practice/ }).first().waitFor();
    await checkPage(page, 'le mois');
    await shot(page, 'fr-month');

    await page.getByRole('link', { name: 'Ajouter un événement' }).tap();
    await heading(page, 'Ajouter un événement');
    const day = parisDay(3);
    await page.getByLabel('Quoi', { exact: true }).fill('Anniversaire de Claire');
    await page.getByLabel('Toute la journée').check();
    assert.ok(await page.getByLabel('Heure de début').isHidden(), 'no times for an all-day event');
    await page.getByLabel('Date de début').fill(day);
    await page.getByLabel('Date de fin').fill(day);
    await page.getByLabel('Se répète').selectOption('FREQ=YEARLY');
    await checkPage(page, 'le formulaire');
    await shot(page, 'fr-event-form');
    await page.getByRole('button', { name: 'Ajouter l’événement' }).tap();
    await heading(page, 'Agenda');
    const birthday = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Anniversaire de Claire' }) });
    await birthday.getByText('Toute la journée').waitFor();
    await birthday.getByText('Se répète').waitFor();
    await checkPage(page, 'la liste');
    await shot(page, 'fr-agenda');

    await page.getByText('Mois', { exact: true }).tap();
    await page.getByRole('table').getByRole('link', { name: /Anniversaire de Claire/ }).waitFor();
    // The event's day says how many events it holds, and opens the agenda there.
    const dayLink = page.locator(`a.month-date[href$="from=${day}"]`);
    assert.match((await dayLink.getAttribute('aria-label'))!, /: [12] événements?$/);
    await dayLink.tap();
    await page.waitForURL(new RegExp(`from=${day}$`));
    await page.getByRole('heading', { level: 3 }).first().filter({ hasText: new RegExp(String(Number(day.slice(8)))) }).waitFor();
    await page.getByRole('link', { name: 'Anniversaire de Claire' }).waitFor();
  } finally {
    await context.close();
  }
});

test('no page errors, console errors or CSP violations', () => {
  assert.equal(problems, []);
});

test.run();
