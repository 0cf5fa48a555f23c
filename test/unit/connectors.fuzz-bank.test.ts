// Fuzzes the bank and energy parsers (ofx, camt053, energy-csv, green-button) with a seeded
// generator, so that a failure replays exactly: truncations, mutations, random bytes, a 5 MB
// line, 100,000-deep nesting, wrong encodings and NUL bytes. Whatever the input, a parser must
// not throw, must finish, must say something, and must only ever yield documents the store
// accepts.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { camt053Connector } from '../../runtime/src/formats/camt053/index.ts';
import { energyCsvConnector, greenButtonConnector } from '../../runtime/src/formats/energy/index.ts';
import { ofxConnector } from '../../runtime/src/formats/ofx/index.ts';
import type { FileConnector, ParsedItem } from '../../runtime/src/formats/types.ts';
import { collections } from '../../runtime/src/store/collections.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const context = { defaultRegion: 'FR', timezone: 'Europe/Paris', options: {} };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

interface Subject {
  connector: FileConnector;
  fixtures: Buffer[];
}

const subjects: Subject[] = [
  { connector: ofxConnector, fixtures: ['ofx/bank-sgml-latin1-bom.ofx', 'ofx/bank-xml-v2.ofx', 'ofx/creditcard.qfx'].map(fixture) },
  { connector: camt053Connector, fixtures: ['camt053/several-statements.camt053.001.02.xml', 'camt053/prefixed.camt053.001.08.xml', 'camt053/broken-markup.camt053.001.04.xml'].map(fixture) },
  { connector: energyCsvConnector, fixtures: ['energy/kwh-30min.csv', 'energy/power-w-15min.csv', 'energy/french-semicolon.csv'].map(fixture) },
  { connector: greenButtonConnector, fixtures: ['energy/green-button.xml'].map(fixture) },
];

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const below = (limit: number) => Math.floor(random() * limit);

async function* inPieces(bytes: Uint8Array, sizes: () => number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; ) {
    const size = Math.max(1, sizes());
    yield bytes.subarray(start, start + size);
    start += size;
  }
}

const KINDS = new Set(['document', 'rejected', 'note']);

/** Parses and checks the contract; returns the items and how long it took. */
async function run(subject: Subject, bytes: Uint8Array, label: string, pieceSize?: number): Promise<{ items: ParsedItem[]; ms: number }> {
  const began = performance.now();
  const items: ParsedItem[] = [];
  const sizes = pieceSize ? () => pieceSize : () => 1 + below(9000);
  try {
    for await (const item of subject.connector.parse(inPieces(bytes, sizes), context)) items.push(item);
  } catch (error) {
    assert.unreachable(`${subject.connector.manifest.id} threw on ${label} (seed ${SEED}): ${(error as Error).stack}`);
  }
  assert.ok(items.length > 0, `${subject.connector.manifest.id} said nothing about ${label} (seed ${SEED})`);
  for (const item of items) {
    assert.ok(KINDS.has(item.kind), `${label}: unknown item kind`);
    if (item.kind === 'document') {
      const result = collections[item.collection].schema.safeParse(item.document);
      assert.ok(result.success, `${subject.connector.manifest.id} yielded an invalid document on ${label} (seed ${SEED}) at ${item.location}: ${JSON.stringify(result.error?.issues)}`);
      assert.ok(item.key.length > 0 && item.location.length > 0, `${label}: a document without key or location`);
    } else if (item.kind === 'rejected') {
      assert.ok(item.location.length > 0 && item.reason.length > 0, `${label}: a rejection without location or reason`);
    } else {
      assert.ok(item.message.length > 0, `${label}: an empty note`);
    }
  }
  return { items, ms: performance.now() - began };
}

test('truncated at many offsets', async () => {
  for (const subject of subjects) {
    for (const [index, bytes] of subject.fixtures.entries()) {
      const offsets = new Set([0, 1, 2, 3, bytes.length - 1]);
      for (let step = 0; step < 60; step++) offsets.add(Math.floor((bytes.length * step) / 60));
      for (let extra = 0; extra < 20; extra++) offsets.add(below(bytes.length));
      for (const offset of offsets) await run(subject, bytes.subarray(0, offset), `fixture ${index} cut at ${offset}`);
    }
  }
});

const MARKUP = Buffer.from('<>/="\';,.\t\n\r &#x0123456789-+?!ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéü€');

function mutate(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const operations = 1 + below(8);
  let out: Buffer = copy;
  for (let count = 0; count < operations; count++) {
    const at = below(out.length + 1);
    switch (below(6)) {
      case 0: // flip a byte
        if (out.length > 0) out[Math.min(at, out.length - 1)] = below(256);
        break;
      case 1: // insert a markup-ish character
        out = Buffer.concat([out.subarray(0, at), Buffer.from([MARKUP[below(MARKUP.length)]!]), out.subarray(at)]);
        break;
      case 2: // delete a range
        out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + below(200)))]);
        break;
      case 3: {
        // duplicate a range elsewhere
        const from = below(out.length);
        const piece = out.subarray(from, from + 1 + below(300));
        out = Buffer.concat([out.subarray(0, at), piece, out.subarray(at)]);
        break;
      }
      case 4: // a NUL byte
        out = Buffer.concat([out.subarray(0, at), Buffer.from([0]), out.subarray(at)]);
        break;
      default: // swap case of a run, which breaks tag names
        for (let index = at; index < Math.min(out.length, at + 20); index++) out[index]! ^= 0x20;
    }
  }
  return out;
}

test('mutated fixtures: flipped, inserted, deleted and duplicated bytes', async () => {
  for (const subject of subjects) {
    for (const [index, bytes] of subject.fixtures.entries()) {
      for (let round = 0; round < 120; round++) await run(subject, mutate(bytes), `fixture ${index} mutation ${round}`);
    }
  }
});

test('random bytes, and random markup-like noise', async () => {
  for (const subject of subjects) {
    for (let round = 0; round < 40; round++) {
      const length = below(20_000);
      const noise = Buffer.alloc(length);
      const markup = round % 2 === 1;
      for (let index = 0; index < length; index++) noise[index] = markup ? MARKUP[below(MARKUP.length)]! : below(256);
      await run(subject, noise, `${markup ? 'markup noise' : 'random bytes'} ${round} (${length} bytes)`);
    }
  }
});

test('a 5 MB single line: alone, and inside each fixture', async () => {
  const line = Buffer.alloc(5 * 1024 * 1024, 'A');
  for (const subject of subjects) {
    const alone = await run(subject, line, '5 MB of one letter');
    assert.ok(alone.ms < 20_000, `${subject.connector.manifest.id}: ${Math.round(alone.ms)} ms on a 5 MB line`);
    for (const [index, bytes] of subject.fixtures.entries()) {
      const at = Math.floor(bytes.length / 2);
      const inside = await run(subject, Buffer.concat([bytes.subarray(0, at), line, bytes.subarray(at)]), `fixture ${index} with a 5 MB line in the middle`);
      assert.ok(inside.ms < 20_000, `${subject.connector.manifest.id}: ${Math.round(inside.ms)} ms`);
    }
  }
});

test('an over-long OFX value rejects its transaction, and the next one imports', async () => {
  const bytes = fixture('ofx/creditcard.qfx').toString('latin1');
  const huge = bytes.replace('<NAME>STARBUCKS STORE 00123', `<NAME>${'X'.repeat(200_000)}`);
  const { items } = await run(subjects[0]!, Buffer.from(huge, 'latin1'), 'a 200 KB NAME', 4096);
  assert.ok(items.some((item) => item.kind === 'rejected' && item.location.startsWith('STMTTRN #1') && /longer than/.test(item.reason)));
  assert.is(items.filter((item) => item.kind === 'document' && item.collection === 'bank.transactions').length, 3);
});

test('100,000-deep nesting', async () => {
  const depth = 100_000;
  const inputs: Record<string, string> = {
    ofx: `OFXHEADER:100\r\n\r\n${'<OFX>'.repeat(depth)}${'<STMTRS>'.repeat(depth)}<CURDEF>EUR${'</STMTRS>'.repeat(depth)}${'</OFX>'.repeat(depth)}`,
    camt053: `<?xml version="1.0"?><Document><BkToCstmrStmt><Stmt>${'<Ntry>'.repeat(depth)}${'</Ntry>'.repeat(depth)}</Stmt></BkToCstmrStmt></Document>`,
    'energy-csv': `timestamp,kWh\n${'"'.repeat(depth)}\n${'"\n'.repeat(depth)}`,
    'green-button': `<feed xmlns="http://www.w3.org/2005/Atom">${'<entry><content>'.repeat(depth / 2)}${'</content></entry>'.repeat(depth / 2)}</feed>`,
  };
  for (const subject of subjects) {
    const { ms } = await run(subject, Buffer.from(inputs[subject.connector.manifest.id]!), `${depth}-deep nesting`);
    assert.ok(ms < 20_000, `${subject.connector.manifest.id}: ${Math.round(ms)} ms`);
  }
});

test('wrong encodings: UTF-16 with and without a BOM, Latin-1 re-encoding, double-encoded UTF-8', async () => {
  for (const subject of subjects) {
    for (const [index, bytes] of subject.fixtures.entries()) {
      const text = bytes.toString('utf8');
      const utf16 = Buffer.from(text, 'utf16le');
      const swapped = Buffer.from(utf16).swap16();
      const variants: Record<string, Buffer> = {
        'UTF-16LE without BOM': utf16,
        'UTF-16LE with BOM': Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]),
        'UTF-16BE with BOM': Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]),
        'UTF-8 BOM on UTF-16': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf16]),
        'Latin-1': Buffer.from(text, 'latin1'),
        'double-encoded UTF-8': Buffer.from(bytes.toString('latin1'), 'utf8'),
      };
      for (const [name, variant] of Object.entries(variants)) await run(subject, variant, `fixture ${index} as ${name}`);
    }
  }
});

test('NUL bytes: sprinkled through each fixture, and a file of nothing else', async () => {
  for (const subject of subjects) {
    for (const [index, bytes] of subject.fixtures.entries()) {
      const every = 1 + below(40);
      const sprinkled: number[] = [];
      for (const [position, byte] of bytes.entries()) {
        sprinkled.push(byte);
        if (position % every === 0) sprinkled.push(0);
      }
      await run(subject, Buffer.from(sprinkled), `fixture ${index} with a NUL every ${every} bytes`);
    }
    await run(subject, Buffer.alloc(100_000), '100 KB of NUL');
  }
});

test('the fixtures themselves, in pieces of every small size', async () => {
  for (const subject of subjects) {
    for (const [index, bytes] of subject.fixtures.entries()) {
      const whole = await run(subject, bytes, `fixture ${index}`, bytes.length + 1);
      for (const size of [1, 2, 3, 5, 8, 13]) {
        const pieces = await run(subject, bytes, `fixture ${index} in ${size}-byte pieces`, size);
        assert.equal(pieces.items, whole.items, `${subject.connector.manifest.id} fixture ${index} in ${size}-byte pieces`);
      }
    }
  }
});

test.run();
