// How long each data page waits for the API when it opens, over 1,000,000 bank transactions (issue
// 13: p95 < 300 ms). The esbuild bundle as the device runs it (bench/daemon.ts), set up, some
// contacts and calendar events imported and calls and energy readings written through the API,
// a 1,000,000-transaction OFX statement posted to the import API; then the requests each page of
// setup-wizard/src makes when it opens, with the same query strings, asked in rounds. A page's
// time is that of its steps one after another (a step's requests go together, as the page sends
// them), so that it is what the owner waits for; each request's own figures follow. Part of
// `make bench`.
//
//   node --import tsx bench/dataPages.ts [transactions] [rounds]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createClient, OWNER, setupBody, type Client } from '../test/helpers/client.ts';
import { startBundle, stopBundle } from './daemon.ts';
import { generateOfx } from './ofx.ts';
import { percentile } from './percentile.ts';

const TRANSACTIONS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 50);
const TARGET_MS = 300;
const CONTACTS = 2_000;
const CALLS = 3_000;
const EVENTS = 500;
const ENERGY_DAYS = 45;
const TIME_ZONE = 'Europe/Paris';
/** hearthd counts as settled once its status answered within QUICK_MS for SETTLED_MS on end. */
const SETTLED_MS = 30_000;
const QUICK_MS = 100;
const SETTLE_LIMIT_MS = 30 * 60_000;

/** A page's requests: steps one after another, a step's requests together. */
interface Page {
  name: string;
  steps: string[][];
}

interface Figures {
  p50: number;
  p95: number;
  max: number;
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN };
}

/** The statement streamed as the request body, as `curl --data-binary @statement.ofx` sends it. */
function postStatement(httpsUrl: string, caPem: string, cookie: string): Promise<{ created: number }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${httpsUrl}/api/v1/imports?connector=ofx`, { method: 'POST', ca: caPem, headers: { cookie, 'content-type': 'application/octet-stream' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text) as { created: number }) : reject(new Error(`import answered ${res.statusCode}: ${text}`))));
    });
    req.on('error', reject);
    pipeline(Readable.from(generateOfx(TRANSACTIONS)), req).catch(reject);
  });
}

/** PUTs documents eight at a time. */
async function putAll(client: Client, collection: string, documents: Array<[string, object]>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < documents.length) {
      const [id, data] = documents[next++]!;
      const response = await client.put(`/api/v1/collections/${collection}/${encodeURIComponent(id)}`, data);
      if (response.status !== 201 && response.status !== 200) throw new Error(`PUT ${collection}/${id} answered ${response.status}: ${response.text}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const phone = (n: number) => `06${String(100_000_000 + n).slice(1)}`;
const month = (date: Date) => date.toISOString().slice(0, 7);
const addMonths = (value: string, months: number) => {
  const [year, m] = value.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m - 1 + months, 1)).toISOString().slice(0, 7);
};
const addDays = (date: string, days: number) => {
  const [year, m, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, m - 1, day + days)).toISOString().slice(0, 10);
};
/** Midnight of a day in Paris with its offset, as calendarData.ts's isoInZone writes it. */
function parisMidnight(day: string): string {
  const noon = new Date(`${day}T12:00:00Z`);
  const wall = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', hourCycle: 'h23' }).format(noon);
  const offset = Number(wall) - 12;
  return `${day}T00:00:00+${String(offset).padStart(2, '0')}:00`;
}

/** A file posted to the import API, as the import page's upload sends it. */
async function importFile(client: Client, connector: string, body: string): Promise<void> {
  const response = await client.post(`/api/v1/imports?connector=${connector}`, undefined, { rawBody: Buffer.from(body), headers: { 'content-type': 'application/octet-stream' } });
  if (response.status !== 200) throw new Error(`${connector} import answered ${response.status}: ${response.text}`);
}

async function seed(client: Client): Promise<void> {
  const now = new Date();
  const names = ['Alice', 'Bruno', 'Chloé', 'David', 'Émilie', 'Farid', 'Gaëlle', 'Hugo'];
  // The address book as a vCard file, as a phone exports it.
  const vcards = Array.from({ length: CONTACTS }, (_, n) =>
    [
      'BEGIN:VCARD',
      'VERSION:3.0',
      `FN:${names[n % 8]} Contact ${n}`,
      `N:Contact ${n};${names[n % 8]};;;`,
      ...(n % 3 === 0 ? [`ORG:Société ${n % 50}`] : []),
      `TEL;TYPE=CELL:+33 ${phone(n).slice(1)}`,
      `EMAIL;TYPE=HOME:contact${n}@example.org`,
      `UID:contact-${n}@bench`,
      'END:VCARD',
    ].join('\r\n'),
  );
  await importFile(client, 'vcard', vcards.join('\r\n') + '\r\n');
  // Events around today, some weekly, as a calendar exports them.
  const today = now.toISOString().slice(0, 10);
  const stamp = (day: string, hour: number) => `${day.replaceAll('-', '')}T${String(hour).padStart(2, '0')}0000Z`;
  const events = Array.from({ length: EVENTS }, (_, n) => {
    const day = addDays(today, (n % 365) - 180);
    return ['BEGIN:VEVENT', `UID:event-${n}@bench`, `DTSTAMP:${stamp(today, 0)}`, `DTSTART:${stamp(day, 8 + (n % 10))}`, `DTEND:${stamp(day, 9 + (n % 10))}`, `SUMMARY:Event ${n}`, ...(n % 4 === 0 ? ['LOCATION:Lyon'] : []), ...(n % 25 === 0 ? ['RRULE:FREQ=WEEKLY;COUNT=52'] : []), 'END:VEVENT'].join('\r\n');
  });
  await importFile(client, 'ical', ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//EN', ...events, 'END:VCALENDAR', ''].join('\r\n'));
  // Calls over the last two years, a fifth of them from numbers no contact has.
  const calls = Array.from({ length: CALLS }, (_, n): [string, object] => {
    const number = phone((n * 7919) % Math.round(CONTACTS * 1.25));
    const start = new Date(now.getTime() - ((n * 104_729) % (730 * 86_400)) * 1000);
    return [`k${n}`, { start: start.toISOString().replace(/\.\d+Z$/, 'Z'), number, e164: `+33${number.slice(1)}`, direction: n % 4 === 0 ? 'incoming' : 'outgoing', durationSeconds: n % 900, cost: (n % 7) / 10, currency: 'EUR', kind: 'voice' }];
  });
  await putAll(client, 'calls', calls);
  // Hourly readings of the last weeks, as a Linky export gives them.
  const first = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - ENERGY_DAYS * 86_400_000;
  const readings = Array.from({ length: ENERGY_DAYS * 24 }, (_, n): [string, object] => [
    `r${n}`,
    { start: new Date(first + n * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'), intervalSeconds: 3600, kWh: 0.2 + ((n * 37) % 100) / 100, meter: 'linky' },
  ]);
  await putAll(client, 'energy.readings', readings);
}

async function json<T>(client: Client, url: string): Promise<T> {
  const response = await client.get(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${response.text}`);
  return JSON.parse(response.text) as T;
}

/** The pages, with what they ask for worked out as the UI does it (dates from today). */
async function pages(client: Client): Promise<Page[]> {
  const now = new Date();
  const thisMonth = month(now);
  const period = (months: number) => `from=${addMonths(thisMonth, -(months - 1))}-01&to=${addMonths(thisMonth, 1)}-01`;
  const today = now.toISOString().slice(0, 10);
  const energy = await json<{ span: { first: string; last: string } | null }>(client, '/api/v1/mashups/energy?by=year');
  const energyMonth = energy.span!.last.slice(0, 7);
  const contact = encodeURIComponent((await json<{ items: Array<{ id: string }> }>(client, '/api/v1/collections/contacts?sort=fullName&limit=1')).items[0]!.id);
  // A page 200 pages (10,000 transactions) down the default list, reached by its cursors.
  let cursor: string | undefined;
  for (let page = 0; page < 200; page++) {
    cursor = (await json<{ next?: string }>(client, `/api/v1/collections/bank.transactions?sort=-date&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).next;
  }
  let amountCursor: string | undefined;
  for (let page = 0; page < 200; page++) {
    amountCursor = (await json<{ next?: string }>(client, `/api/v1/collections/bank.transactions?sort=amount&limit=50${amountCursor ? `&cursor=${encodeURIComponent(amountCursor)}` : ''}`)).next;
  }
  const list = (query: string) => `/api/v1/collections/bank.transactions?${query}`;
  const search = (words: string, sort = '-date') => list(`${new URLSearchParams({ q: words, sort })}&limit=50`);
  return [
    // main.ts, before any page: the device, the session, the status.
    { name: 'app start (every first load)', steps: [['/api/v1/device', '/api/v1/session', '/api/v1/status']] },
    // home.ts: the attention, health, data and last-import cards together.
    {
      name: 'home dashboard',
      steps: [['/api/v1/status', '/api/v1/backups/settings', '/api/v1/system/update', '/api/v1/auth/factors', '/api/v1/mashups/bill-payments', '/api/v1/health', '/api/v1/collections', '/api/v1/connectors', '/api/v1/mashups/last-import', '/api/v1/connectors'], ['/api/v1/backups/status']],
    },
    { name: '/data overview (counts)', steps: [['/api/v1/collections']] },
    // bankPage.ts: the accounts (and the export card), then the list, then the bills it paid.
    { name: 'bank: accounts + transactions', steps: [['/api/v1/collections/bank.accounts?limit=100', '/api/v1/collections'], [list('sort=-date&limit=50')], ['/api/v1/mashups/bill-payments']] },
    { name: 'bank list: oldest first', steps: [[list('sort=date&limit=50')]] },
    { name: 'bank list: biggest out', steps: [[list('sort=amount&limit=50')]] },
    { name: 'bank list: biggest in', steps: [[list('sort=-amount&limit=50')]] },
    { name: 'bank list: a month', steps: [[list('date.gte=2020-03-01&date.lt=2020-04-01&sort=-date&limit=50')]] },
    { name: 'bank list: amount -100..-50', steps: [[list('amount.gte=-100&amount.lte=-50&sort=-date&limit=50')]] },
    { name: 'bank list: search "pharmacie"', steps: [[search('pharmacie')]] },
    { name: 'bank list: search "pharmacie", by amount', steps: [[search('pharmacie', 'amount')]] },
    { name: 'bank list: search one "Opération 654321"', steps: [[search('Opération 654321')]] },
    { name: 'bank list: search, a year', steps: [[list(`${new URLSearchParams({ q: 'carrefour', 'date.gte': '2015-01-01', 'date.lt': '2016-01-01', sort: '-date' })}&limit=50`)]] },
    { name: 'bank list: page 201 (cursor)', steps: [[list(`sort=-date&limit=50&cursor=${encodeURIComponent(cursor!)}`)]] },
    { name: 'bank list: page 201 by amount', steps: [[list(`sort=amount&limit=50&cursor=${encodeURIComponent(amountCursor!)}`)]] },
    { name: 'bank accounts', steps: [['/api/v1/collections/bank.accounts?limit=100']] },
    { name: 'contacts list', steps: [['/api/v1/collections/contacts?sort=fullName&limit=50', '/api/v1/collections']] },
    { name: 'contacts: search "chloé"', steps: [[`/api/v1/collections/contacts?${new URLSearchParams({ q: 'chloé', sort: 'fullName' })}&limit=50`]] },
    { name: 'contact: one, with its calls', steps: [[`/api/v1/collections/contacts/${contact}`, `/api/v1/mashups/call-log?contact=${contact}&limit=50`]] },
    // callLogPage.ts: the newest call's currency, then the last three months.
    { name: 'call log (last 3 months)', steps: [['/api/v1/collections/calls?sort=-start&limit=1'], [`/api/v1/mashups/call-log?${period(3)}&limit=100`]] },
    { name: 'call log: all time', steps: [['/api/v1/mashups/call-log?limit=100']] },
    // spendingPage.ts: the last twelve months and the bills, together.
    { name: 'spending (last 12 months)', steps: [[`/api/v1/mashups/spending?${period(12)}`, '/api/v1/mashups/bill-payments']] },
    { name: 'spending: all time', steps: [['/api/v1/mashups/spending']] },
    // calendarPage.ts: 28 days from today in the agenda, with the export card.
    { name: 'calendar (agenda, 28 days)', steps: [[`/api/v1/mashups/calendar?${new URLSearchParams({ from: parisMidnight(today), to: parisMidnight(addDays(today, 28)) })}`, '/api/v1/collections']] },
    // energyPage.ts: the span, then the month of the latest reading by day.
    { name: 'energy (latest month)', steps: [['/api/v1/mashups/energy?by=year', '/api/v1/collections'], [`/api/v1/mashups/energy?from=${energyMonth}-01&to=${addMonths(energyMonth, 1)}-01&by=day`]] },
  ];
}

/** A request's milliseconds; a failed one (an error status, a connection reset) counts as never answered. */
async function timed(client: Client, url: string): Promise<number> {
  const began = performance.now();
  try {
    const response = await client.get(url);
    const ms = performance.now() - began;
    if (ms > 1000) process.stderr.write(`slow: ${url} took ${ms.toFixed(0)} ms\n`);
    if (response.status === 200) return ms;
    process.stderr.write(`${url} answered ${response.status} after ${(performance.now() - began).toFixed(0)} ms: ${response.text.slice(0, 200)}\n`);
  } catch (error) {
    process.stderr.write(`${url} failed after ${(performance.now() - began).toFixed(0)} ms: ${String(error)}\n`);
  }
  return Infinity;
}

/**
 * After the import: milliseconds until the shipped monthly-spending flow has written its totals
 * (its pass over every transaction has ended; there were none before the import), and until
 * hearthd's status then answered within QUICK_MS for SETTLED_MS on end (the other shipped flows'
 * passes, which write nothing without bills, have ended too).
 */
async function settle(client: Client): Promise<{ spendingMs: number; quietMs: number }> {
  const began = performance.now();
  const tooLong = () => {
    if (performance.now() - began > SETTLE_LIMIT_MS) throw new Error(`hearthd still busy ${SETTLE_LIMIT_MS / 60_000} minutes after the import`);
  };
  const pause = () => new Promise((resolve) => setTimeout(resolve, 500));
  while (((await client.get('/api/v1/collections/spending.monthly?limit=1')).body as { items?: unknown[] } | undefined)?.items?.length !== 1) {
    tooLong();
    await pause();
  }
  const spendingMs = performance.now() - began;
  let quietSince = performance.now();
  while (performance.now() - quietSince < SETTLED_MS) {
    tooLong();
    const asked = performance.now();
    const response = await client.get('/api/v1/status');
    if (response.status !== 200 || performance.now() - asked >= QUICK_MS) quietSince = performance.now();
    await pause();
  }
  return { spendingMs, quietMs: quietSince - began };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hearth-bench-data-pages-'));
try {
  const daemon = await startBundle(dataDir);
  try {
    const caPem = readFileSync(path.join(dataDir, 'tls', 'ca.crt'), 'utf8');
    const client = createClient(daemon.httpsUrl, caPem);
    if ((await client.post('/api/v1/setup', setupBody())).status !== 201) throw new Error('setup failed');
    if ((await client.post('/api/v1/session', OWNER)).status !== 201) throw new Error('sign-in failed');

    // The small collections first: one document written through the API after the million
    // transactions waits for the shipped flows' pass over them.
    let began = performance.now();
    await seed(client);
    process.stderr.write(`wrote ${CONTACTS} contacts, ${CALLS} calls, ${EVENTS} events, ${ENERGY_DAYS * 24} readings in ${((performance.now() - began) / 1000).toFixed(0)} s\n`);
    began = performance.now();
    const report = await postStatement(daemon.httpsUrl, caPem, client.cookie!);
    process.stderr.write(`imported ${report.created.toLocaleString('en')} transactions in ${((performance.now() - began) / 1000).toFixed(0)} s\n`);
    // The shipped flows run once the import has ended (monthly spending, bill payments): the pages
    // are measured once hearthd answers quickly again, and how long that took is a figure too.
    const settled = await settle(client);
    process.stderr.write(`monthly spending written ${(settled.spendingMs / 1000).toFixed(0)} s after the import; hearthd quick again from ${(settled.quietMs / 1000).toFixed(0)} s\n`);

    const all = await pages(client);
    const pageSamples = all.map((): number[] => []);
    const requestSamples = new Map<string, number[]>();
    // Rounds over every page, so that each page meets the others' cache as the owner's visit would.
    const roundsBegan = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 10 === 0) process.stderr.write(`round ${round + 1} of ${ROUNDS}, ${((performance.now() - roundsBegan) / 1000).toFixed(0)} s in\n`);
      for (const [index, page] of all.entries()) {
        const pageBegan = performance.now();
        for (const step of page.steps) {
          const times = await Promise.all(step.map((url) => timed(client, url)));
          for (const [at, url] of step.entries()) {
            const key = `${page.name} | ${url}`;
            if (!requestSamples.has(key)) requestSamples.set(key, []);
            requestSamples.get(key)!.push(times[at]!);
          }
        }
        pageSamples[index]!.push(performance.now() - pageBegan);
      }
    }
    client.close();

    const ms = (value: number) => value.toFixed(1).padStart(7);
    process.stdout.write(`\nData pages over ${report.created.toLocaleString('en')} bank transactions (+ ${CONTACTS} contacts, ${CALLS} calls, ${EVENTS} events, ${ENERGY_DAYS * 24} readings), ${ROUNDS} rounds; load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
    process.stdout.write(
      `after the import, the shipped flows' passes over the transactions: monthly spending written after ${(settled.spendingMs / 1000).toFixed(0)} s, hearthd's status quick (< ${QUICK_MS} ms) again from ${(settled.quietMs / 1000).toFixed(0)} s\n`,
    );
    process.stdout.write(`${'page (its requests, step after step)'.padEnd(44)}      p50      p95      max   target p95 < ${TARGET_MS} ms\n`);
    let missed = 0;
    for (const [index, page] of all.entries()) {
      const f = figures(pageSamples[index]!);
      if (f.p95 >= TARGET_MS) missed += 1;
      process.stdout.write(`${page.name.padEnd(44)}  ${ms(f.p50)}  ${ms(f.p95)}  ${ms(f.max)}   ${f.p95 < TARGET_MS ? 'ok' : 'MISSED'}\n`);
    }
    process.stdout.write(`\neach request (p50 / p95 / max ms):\n`);
    for (const [key, samples] of requestSamples) {
      const f = figures(samples);
      process.stdout.write(`  ${ms(f.p50)} ${ms(f.p95)} ${ms(f.max)}  ${key.length > 150 ? `${key.slice(0, 147)}...` : key}\n`);
    }
    process.stdout.write(`${missed === 0 ? 'every page' : `${missed} page(s) not`} within p95 < ${TARGET_MS} ms\n`);
  } finally {
    await stopBundle(daemon.child);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
