// A generated OFX statement of any size, streamed so that the generator itself holds no more than
// one chunk: the input of the import benchmark (`make bench`). Run directly, it measures the OFX
// parser alone: `node --import tsx bench/ofx.ts [transactions]`.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseOfx } from '../runtime/src/formats/ofx/index.ts';

const HEADER = [
  'OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', 'SECURITY:NONE', 'ENCODING:USASCII', 'CHARSET:1252',
  'COMPRESSION:NONE', 'OLDFILEUID:NONE', 'NEWFILEUID:NONE', '',
].join('\r\n');

const OPENING = `${HEADER}\r\n<OFX>\r\n<SIGNONMSGSRSV1>\r\n<SONRS>\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n<DTSERVER>20261128083012\r\n<LANGUAGE>FRA\r\n</SONRS>\r\n</SIGNONMSGSRSV1>\r\n<BANKMSGSRSV1>\r\n<STMTTRNRS>\r\n<TRNUID>1\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n<STMTRS>\r\n<CURDEF>EUR\r\n<BANKACCTFROM>\r\n<BANKID>30004\r\n<BRANCHID>00820\r\n<ACCTID>00012345678\r\n<ACCTTYPE>CHECKING\r\n</BANKACCTFROM>\r\n<BANKTRANLIST>\r\n<DTSTART>20000101\r\n<DTEND>20261127\r\n`;

const CLOSING = '</BANKTRANLIST>\r\n<LEDGERBAL>\r\n<BALAMT>1234,56\r\n<DTASOF>20261127\r\n</LEDGERBAL>\r\n</STMTRS>\r\n</STMTTRNRS>\r\n</BANKMSGSRSV1>\r\n</OFX>\r\n';

// Labels with Latin-1 accents, as a French bank writes them, so the Windows-1252 path is measured.
const NAMES = ['CB Boulangerie Lefèvre', 'PRLV Électricité de France', 'VIR Crédit Agricole', 'CB Carrefour Market', 'PRLV Orange', 'CB Pharmacie du Marché'];
const TYPES = ['POS', 'DIRECTDEBIT', 'CREDIT', 'POS', 'DIRECTDEBIT', 'POS'];
const TRANSACTIONS_PER_CHUNK = 256;

const DAY_MS = 86_400_000;
let cachedDay = -1;
let cachedDate = '';

/** One date a hundred transactions: a busy account over 27 years for a million of them. */
function postedDate(index: number): string {
  const day = Math.floor(index / 100);
  if (day !== cachedDay) {
    const iso = new Date(Date.UTC(2000, 0, 1) + day * DAY_MS).toISOString();
    cachedDay = day;
    cachedDate = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
  }
  return cachedDate;
}

function transaction(index: number): string {
  const kind = index % NAMES.length;
  const date = postedDate(index);
  const cents = ((index * 7919) % 200_000) + 1;
  const amount = `${TYPES[kind] === 'CREDIT' ? '' : '-'}${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
  return `<STMTTRN>\r\n<TRNTYPE>${TYPES[kind]}\r\n<DTPOSTED>${date}120000.000[+1:CET]\r\n<TRNAMT>${amount}\r\n<FITID>${String(index).padStart(12, '0')}\r\n<NAME>${NAMES[kind]}\r\n<MEMO>Opération ${index}\r\n</STMTTRN>\r\n`;
}

/** An OFX 1.x bank statement with `transactions` transactions, in chunks of a few tens of KB. */
export async function* generateOfx(transactions: number): AsyncGenerator<Uint8Array> {
  yield Buffer.from(OPENING, 'latin1');
  for (let start = 0; start < transactions; start += TRANSACTIONS_PER_CHUNK) {
    let text = '';
    const end = Math.min(transactions, start + TRANSACTIONS_PER_CHUNK);
    for (let index = start; index < end; index++) text += transaction(index);
    yield Buffer.from(text, 'latin1');
  }
  yield Buffer.from(CLOSING, 'latin1');
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function timed(run: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const began = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - began, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * The parser's own speed: generating and parsing, minus generating alone. CPU time is reported
 * beside the wall clock because on a shared machine the wall clock also counts other processes'
 * turns; the CPU figure is what the parser costs.
 */
async function measure(transactions: number): Promise<void> {
  let bytes = 0;
  const generating = await timed(async () => {
    for await (const chunk of generateOfx(transactions)) bytes += chunk.length;
  });
  let documents = 0;
  let rejected = 0;
  const parsing = await timed(async () => {
    for await (const item of parseOfx(generateOfx(transactions))) {
      if (item.kind === 'document') documents += 1;
      else if (item.kind === 'rejected') rejected += 1;
    }
  });
  const perSecond = (ms: number) => Math.round((transactions / Math.max(1, ms)) * 1000);
  const report = {
    transactions,
    megabytes: Math.round(bytes / 1e5) / 10,
    documents,
    rejected,
    generateSeconds: Math.round(generating.wallMs) / 1000,
    generateAndParseSeconds: Math.round(parsing.wallMs) / 1000,
    parserRowsPerSecond: perSecond(parsing.wallMs - generating.wallMs),
    parserRowsPerCpuSecond: perSecond(parsing.cpuMs - generating.cpuMs),
    endToEndRowsPerSecond: perSecond(parsing.wallMs),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await measure(Number(process.argv[2] ?? 1_000_000));
}
