// Fuzzing the text parsers (vCard, iCalendar) and the recurrence expansion: truncated files,
// random bytes, mutations, huge lines, deep nesting, wrong encodings, NUL bytes. Whatever the
// input: no throw, no hang, and at least one item for the report. The generator is seeded so
// that a failure names its case and replays the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expandOccurrences, icalConnector } from '../../runtime/src/formats/ical/index.ts';
import type { FileConnector, ParseContext, ParsedItem } from '../../runtime/src/formats/types.ts';
import { vcardConnector } from '../../runtime/src/formats/vcard/index.ts';
import { type CalendarEvent, calendarEventSchema, contactSchema } from '../../runtime/src/store/collections.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20260327);
const context: ParseContext = { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} };
const MB = 1024 * 1024;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(list: readonly T[]): T => list[int(list.length)] as T };
}

const formats = [
  { name: 'vcard', connector: vcardConnector, dir: 'vcard', schema: contactSchema, begin: 'BEGIN:VCARD', end: 'END:VCARD' },
  { name: 'ical', connector: icalConnector, dir: 'ical', schema: calendarEventSchema, begin: 'BEGIN:VEVENT', end: 'END:VEVENT' },
] as const;
const fixturesOf = (dir: string) => {
  const base = new URL(`../fixtures/${dir}/`, import.meta.url);
  return readdirSync(base)
    .sort()
    .map((name) => ({ name, bytes: readFileSync(new URL(name, base)) }));
};

async function* chunked(bytes: Uint8Array, sizes: () => number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; ) {
    const size = Math.max(1, sizes());
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}
async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Parses, then checks what every import report relies on: known kinds, valid documents, a reason for each rejection. */
async function survive(connector: FileConnector, input: AsyncIterable<Uint8Array>, label: string): Promise<ParsedItem[]> {
  const items: ParsedItem[] = [];
  try {
    for await (const item of connector.parse(input, context)) items.push(item);
  } catch (error) {
    assert.unreachable(`${connector.manifest.id} threw on ${label} (seed ${SEED}): ${(error as Error).stack}`);
  }
  assert.ok(items.length > 0, `${connector.manifest.id} said nothing about ${label} (seed ${SEED})`);
  const schema = connector === vcardConnector ? contactSchema : calendarEventSchema;
  for (const item of items) {
    if (item.kind === 'document') {
      assert.ok(schema.safeParse(item.document).success, `invalid document from ${label}: ${JSON.stringify(item.document).slice(0, 300)}`);
      assert.ok(item.key.length > 0 && item.location.length > 0, label);
    } else if (item.kind === 'rejected') {
      assert.ok(item.location.length > 0 && item.reason.length > 0, label);
    } else {
      assert.is(item.kind, 'note', label);
      assert.ok(item.message.length > 0, label);
    }
  }
  return items;
}

const timed = async (label: string, limitMs: number, body: () => Promise<void>) => {
  const started = performance.now();
  await body();
  const elapsed = performance.now() - started;
  assert.ok(elapsed < limitMs, `${label} took ${Math.round(elapsed)} ms (limit ${limitMs})`);
};

for (const format of formats) {
  const fixtures = fixturesOf(format.dir);

  test(`${format.name}: every fixture cut short at many offsets`, async () => {
    await timed('truncation', 60_000, async () => {
      for (const { name, bytes } of fixtures) {
        const step = Math.max(1, Math.floor(bytes.length / 400));
        for (let offset = 0; offset <= bytes.length; offset += step) await survive(format.connector, once(bytes.subarray(0, offset)), `${name} cut at ${offset}`);
      }
    });
  });

  test(`${format.name}: random bytes, in random chunks`, async () => {
    const random = prng(SEED);
    await timed('random bytes', 30_000, async () => {
      for (let run = 0; run < 300; run++) {
        const bytes = Uint8Array.from({ length: random.int(4096) }, () => random.int(256));
        await survive(format.connector, chunked(bytes, () => 1 + random.int(700)), `random run ${run}`);
      }
    });
  });

  test(`${format.name}: mutated fixtures`, async () => {
    const random = prng(SEED + 1);
    const tokens = ['\r\n', '\n', '\r', ' ', '\t', ':', ';', '=', ',', '\\', '"', '^', '\u0000', '\u00ff', '=\r\n', 'BEGIN:VCARD\r\n', 'END:VCARD\r\n', 'BEGIN:VEVENT\r\n', 'END:VEVENT\r\n', 'BEGIN:VCALENDAR\r\n', 'END:VCALENDAR\r\n', 'ENCODING=QUOTED-PRINTABLE', 'ENCODING=BASE64:', 'TZID=', 'VALUE=DATE:', 'RRULE:FREQ=SECONDLY;BYSECOND=60\r\n', 'EXDATE:', '99999999T999999Z', '\ud83d\ude00', 'é'];
    await timed('mutations', 60_000, async () => {
      for (let run = 0; run < 1000; run++) {
        const { name, bytes } = random.pick(fixtures);
        let text = bytes.toString('latin1');
        const mutations = 1 + random.int(20);
        for (let step = 0; step < mutations; step++) {
          const at = random.int(text.length + 1);
          const kind = random.int(4);
          if (kind === 0) text = text.slice(0, at) + String.fromCharCode(random.int(256)) + text.slice(at + 1);
          else if (kind === 1) text = text.slice(0, at) + Buffer.from(random.pick(tokens)).toString('latin1') + text.slice(at);
          else if (kind === 2) text = text.slice(0, at) + text.slice(at + random.int(200));
          else text = text.slice(0, at) + text.slice(at, at + random.int(400)).repeat(2) + text.slice(at + random.int(400));
        }
        await survive(format.connector, chunked(Buffer.from(text, 'latin1'), () => 1 + random.int(2000)), `${name} mutation run ${run}`);
      }
    });
  });

  test(`${format.name}: a 5 MB line, alone and inside a record`, async () => {
    await timed('5 MB lines', 30_000, async () => {
      const huge = 'A'.repeat(5 * MB);
      await survive(format.connector, chunked(Buffer.from(huge), () => 64 * 1024), 'a 5 MB line alone');
      const inside = `${format.begin}\r\nUID:x\r\nFN:x\r\nDTSTART:20260101T000000Z\r\nDESCRIPTION:${huge}\r\nNOTE:${huge}\r\n${format.end}\r\n`;
      const items = await survive(format.connector, chunked(Buffer.from(inside), () => 64 * 1024), 'a 5 MB property');
      assert.ok(
        items.some((item) => item.kind === 'rejected' && /too long/.test(item.reason)),
        'the record with a cut line is rejected',
      );
      const noBreak = `${format.begin}\r\nSUMMARY:${huge}`;
      await survive(format.connector, chunked(Buffer.from(noBreak), () => 64 * 1024), 'a 5 MB line that never ends');
    });
  });

  test(`${format.name}: 100,000 nested BEGINs`, async () => {
    await timed('nesting', 30_000, async () => {
      for (const begin of [format.begin, 'BEGIN:VCALENDAR', 'BEGIN:VALARM']) {
        const nested = `${begin}\r\n`.repeat(100_000) + `${format.end}\r\n`.repeat(100_000);
        await survive(format.connector, chunked(Buffer.from(nested), () => 64 * 1024), `100k ${begin}`);
      }
      const wrapped = `BEGIN:VCALENDAR\r\n${'BEGIN:X-DEEP\r\n'.repeat(100_000)}${format.begin}\r\nUID:deep\r\nFN:Deep\r\nDTSTART:20260101T000000Z\r\n${format.end}\r\n`;
      await survive(format.connector, chunked(Buffer.from(wrapped), () => 64 * 1024), 'a record under 100k components');
    });
  });

  test(`${format.name}: wrong encodings, NUL bytes, continuation floods`, async () => {
    const random = prng(SEED + 2);
    await timed('encodings', 60_000, async () => {
      for (const { name, bytes } of fixtures) {
        const text = bytes.toString('utf8');
        await survive(format.connector, once(Buffer.from(text, 'utf16le')), `${name} as UTF-16LE without BOM`);
        const be = Buffer.from(text, 'utf16le').swap16();
        await survive(format.connector, once(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), `${name} as UTF-16BE`);
        await survive(format.connector, once(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1')), `${name} as Latin-1`);
        const nuls = Buffer.from(bytes);
        for (let index = 0; index < 30; index++) nuls[random.int(nuls.length)] = 0;
        await survive(format.connector, once(nuls), `${name} with NUL bytes`);
        await survive(format.connector, once(Buffer.from(text.replace(/CHARSET=[\w-]+/gi, 'CHARSET=X-BOGUS').replace(/ENCODING=QUOTED-PRINTABLE/gi, 'ENCODING=QUOTED-PRINTABLE;CHARSET=SHIFT_JIS'))), `${name} with odd charsets`);
      }
      await survive(format.connector, once(Buffer.alloc(MB)), '1 MB of NUL');
      const softBreaks = `${format.begin}\r\nFN:x\r\nNOTE;ENCODING=QUOTED-PRINTABLE:${'=41=\r\n'.repeat(300_000)}\r\n${format.end}\r\n`;
      await survive(format.connector, once(Buffer.from(softBreaks)), '300k quoted-printable soft breaks');
      const base64 = `${format.begin}\r\nFN:x\r\nPHOTO;ENCODING=BASE64;JPEG:\r\n${'QUJDRA==\r\n'.repeat(300_000)}\r\n${format.end}\r\n`;
      await survive(format.connector, once(Buffer.from(base64)), '300k base64 lines');
      const folds = `${format.begin}\r\nFN:x\r\nNOTE:a\r\n${' b\r\n'.repeat(2_000_000)}${format.end}\r\n`;
      await survive(format.connector, once(Buffer.from(folds)), '2M folded continuation lines');
      const properties = `${format.begin}\r\nFN:x\r\nUID:x\r\nDTSTART:20260101T000000Z\r\n${'TEL:0612345678\r\nEXDATE:20260101T000000Z\r\n'.repeat(50_000)}${format.end}\r\n`;
      await survive(format.connector, once(Buffer.from(properties)), '100k properties in one record');
    });
  });

  test(`${format.name}: random chunking does not change what valid UTF-8 files give`, async () => {
    const random = prng(SEED + 3);
    for (const { name, bytes } of fixtures.filter(({ bytes }) => Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes))) {
      const whole = await survive(format.connector, once(bytes), name);
      for (let run = 0; run < 10; run++) assert.equal(await survive(format.connector, chunked(bytes, () => 1 + random.int(64)), `${name} chunked`), whole, `${name} run ${run}`);
    }
  });
}

test('expansion: random rules and windows never throw nor hang', () => {
  const random = prng(SEED + 4);
  const parts: Record<string, () => string> = {
    INTERVAL: () => String(1 + random.int(5)),
    COUNT: () => String(1 + random.int(50)),
    UNTIL: () => `20${10 + random.int(30)}0${1 + random.int(9)}15T${random.pick(['000000', '120000Z', '235959Z'])}`,
    BYDAY: () => Array.from({ length: 1 + random.int(3) }, () => `${random.pick(['', '1', '-1', '2', '5', '-3'])}${random.pick(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])}`).join(','),
    BYMONTHDAY: () => String(random.pick([1, 15, 28, 29, 30, 31, -1, -31])),
    BYMONTH: () => String(1 + random.int(12)),
    BYSETPOS: () => String(random.pick([1, -1, 2, 9])),
    BYHOUR: () => String(random.int(24)),
    BYMINUTE: () => String(random.int(60)),
    BYYEARDAY: () => String(random.pick([1, 60, 366, -1])),
    BYWEEKNO: () => String(random.pick([1, 20, 53, -1])),
    WKST: () => random.pick(['MO', 'SU']),
  };
  const zones = ['Europe/Paris', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'UTC', undefined];
  const started = performance.now();
  for (let run = 0; run < 600; run++) {
    const frequency = random.pick(['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY']);
    const chosen = Object.keys(parts).filter(() => random.next() < 0.25);
    const rrule = [`FREQ=${frequency}`, ...chosen.filter((name) => !(name === 'UNTIL' && chosen.includes('COUNT'))).map((name) => `${name}=${parts[name]?.()}`)].join(';');
    const allDay = random.next() < 0.2;
    const year = 1990 + random.int(45);
    const start = allDay ? `${year}-03-29` : `${year}-03-29T02:30:00+01:00`;
    const event: CalendarEvent = { uid: 'fuzz', summary: 'fuzz', start, allDay, rrule, exdates: [], timezone: allDay ? undefined : random.pick(zones) };
    if (random.next() < 0.5) event.end = allDay ? `${year}-03-30` : `${year}-03-29T04:00:00+02:00`;
    const from = new Date(Date.UTC(2000 + random.int(40), random.int(12), 1));
    const to = new Date(from.getTime() + random.int(400) * 86_400_000);
    const one = performance.now();
    let occurrences: ReturnType<typeof expandOccurrences> = [];
    try {
      occurrences = expandOccurrences(event, { from, to });
    } catch (error) {
      assert.unreachable(`expansion threw on ${rrule} (seed ${SEED}, run ${run}): ${(error as Error).message}`);
    }
    assert.ok(performance.now() - one < 3000, `${rrule} from ${start} took ${Math.round(performance.now() - one)} ms`);
    assert.ok(occurrences.length <= 10_000);
    for (const occurrence of occurrences) assert.ok(calendarEventSchema.shape.start.safeParse(occurrence.start).success, `${rrule}: ${occurrence.start}`);
  }
  assert.ok(performance.now() - started < 60_000);
});

test.run();
