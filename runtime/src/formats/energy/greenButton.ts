import type { EnergyReading } from '../../store/collections.ts';
import { fault, note, rejected } from '../types.ts';
import type { XmlHandler, XmlReader } from '../xml.ts';
import { isoUtc } from './time.ts';

/** What a ReadingType says about the values of the interval blocks that use it. */
interface ReadingParameters {
  /** ESPI unit of measure: 72 = Wh, 38 = W. */
  uom: number;
  powerOfTenMultiplier: number;
  /** 19 = reverse (energy sent to the grid). */
  flowDirection?: number;
  intervalLength?: number;
}

/** What ESPI says when a feed leaves it out: electricity in watt-hours, multiplier 1. */
const ESPI_DEFAULTS: ReadingParameters = { uom: 72, powerOfTenMultiplier: 0 };
const WATT_HOURS = 72;
const WATTS = 38;
const REVERSE_FLOW = 19;
/** Readings held while their ReadingType has not yet appeared in the feed. */
const MAX_HELD_READINGS = 100_000;
/** Usage points, meter readings and reading types remembered; real feeds have a handful. */
const MAX_REMEMBERED = 10_000;

interface Entry {
  links: Array<{ rel: string; href: string }>;
  title?: string;
  kind?: string;
  parameters?: Partial<ReadingParameters>;
}

interface Block {
  line: number;
  meter?: string;
  meterReading?: string;
  /** Set once known; until then the block's readings are held. */
  parameters?: ReadingParameters;
  unsupported: number;
}

interface Reading {
  index: number;
  line: number;
  start?: string;
  duration?: string;
  value?: string;
}

interface HeldReading {
  block: Block;
  reading: Reading;
}

/**
 * Reads a Green Button (NAESB ESPI) Atom feed: UsagePoint entries name the meters, ReadingType
 * entries give the unit and scale, IntervalBlock entries hold the readings. Entries refer to each
 * other through their `link` hrefs (`…/UsagePoint/1/MeterReading/1/IntervalBlock/1`).
 */
export class GreenButtonReader implements XmlHandler {
  private readonly path: string[] = [];
  private content = '';
  private root: string | undefined;
  private entry: Entry | undefined;
  private block: Block | undefined;
  private reading: Reading | undefined;
  private readings = 0;
  private readonly meterNames = new Map<string, string>();
  private readonly readingTypeOfMeterReading = new Map<string, string>();
  private readonly parametersOfReadingType = new Map<string, ReadingParameters>();
  private latestParameters: ReadingParameters | undefined;
  private held: HeldReading[] = [];
  private assumedDefaults = false;

  constructor(private readonly reader: XmlReader) {}

  open(name: string, attributes: Record<string, string>): void {
    const parent = this.path[this.path.length - 1];
    this.path.push(name);
    this.content = '';
    this.root ??= name;
    if (name === 'entry' && parent === this.root) this.entry = { links: [] };
    else if (name === 'link' && parent === 'entry' && this.entry && attributes.href && this.entry.links.length < 20) this.entry.links.push({ rel: attributes.rel ?? 'alternate', href: attributes.href });
    else if (parent === 'content' && this.entry) {
      this.entry.kind = name;
      if (name === 'ReadingType') this.entry.parameters = {};
      if (name === 'IntervalBlock') this.block = this.startBlock();
    } else if (name === 'IntervalReading' && this.block) {
      this.readings += 1;
      this.reading = { index: this.readings, line: this.reader.line() };
    }
  }

  text(text: string): void {
    if (this.content.length < 1000) this.content += text;
  }

  close(name: string): void {
    this.path.pop();
    const parent = this.path[this.path.length - 1];
    const grandparent = this.path[this.path.length - 2];
    const value = this.content.trim();
    this.content = '';
    if (this.reading) {
      if (parent === 'timePeriod' && grandparent === 'IntervalReading' && (name === 'start' || name === 'duration')) this.reading[name] = value;
      else if (name === 'value' && parent === 'IntervalReading') this.reading.value = value;
      else if (name === 'IntervalReading' && this.block) {
        this.finishReading(this.block, this.reading);
        this.reading = undefined;
      }
      return;
    }
    if (name === 'title' && parent === 'entry' && this.entry) this.entry.title = value;
    else if (parent === 'ReadingType' && this.entry?.parameters) this.readingTypeField(this.entry.parameters, name, value);
    else if (name === 'IntervalBlock' && this.block) {
      if (this.block.unsupported > 0) {
        const { unsupported, parameters } = this.block;
        const reason = `${unsupported} readings in ESPI unit ${parameters?.uom} (neither Wh nor W) were not imported`;
        this.reader.emit(rejected(`IntervalBlock (line ${this.block.line})`, fault('green_button_unsupported_unit', reason, { count: unsupported, uom: String(parameters?.uom) })));
      }
      this.block = undefined;
    } else if (name === 'entry' && this.entry) {
      this.finishEntry(this.entry);
      this.entry = undefined;
    }
  }

  end(): void {
    if (this.held.length > 0) this.releaseHeld(undefined);
    if (this.root !== 'feed') {
      const why = this.root
        ? fault('green_button_not_feed', `this is not a Green Button feed: its root is <${this.root}>, not an Atom <feed>`, { root: this.root })
        : fault('green_button_no_element', 'this is not a Green Button feed: it holds no XML element');
      this.reader.emit(rejected('file', why));
    } else if (this.readings === 0) {
      this.reader.emit(rejected('file', fault('green_button_no_readings', 'the feed holds no IntervalReading')));
    }
  }

  private readingTypeField(parameters: Partial<ReadingParameters>, name: string, value: string): void {
    const number = /^-?\d+$/.test(value) ? Number(value) : undefined;
    if (number === undefined) return;
    if (name === 'uom') parameters.uom = number;
    else if (name === 'powerOfTenMultiplier' && Math.abs(number) <= 12) parameters.powerOfTenMultiplier = number;
    else if (name === 'flowDirection') parameters.flowDirection = number;
    else if (name === 'intervalLength' && number > 0) parameters.intervalLength = number;
  }

  /** An IntervalBlock begins: find its meter and ReadingType through the entry's links. */
  private startBlock(): Block {
    const entry = this.entry!;
    const hrefs = entry.links.map((link) => link.href);
    const usagePoint = firstMatch(hrefs, /\/UsagePoint\/([^/?#]+)/);
    const meterReading = firstMatch(hrefs, /(\/UsagePoint\/[^/?#]+\/MeterReading\/[^/?#]+)/);
    const block: Block = { line: this.reader.line(), unsupported: 0 };
    if (usagePoint) block.meter = this.meterNames.get(usagePoint) ?? `UsagePoint ${usagePoint}`;
    if (meterReading) block.meterReading = meterReading;
    const parameters = this.parametersFor(block);
    if (parameters) block.parameters = parameters;
    return block;
  }

  private parametersFor(block: Block): ReadingParameters | undefined {
    const readingType = block.meterReading ? this.readingTypeOfMeterReading.get(block.meterReading) : undefined;
    return (readingType ? this.parametersOfReadingType.get(readingType) : undefined) ?? this.latestParameters;
  }

  private finishEntry(entry: Entry): void {
    const self = entry.links.find((link) => link.rel === 'self')?.href ?? entry.links[0]?.href ?? '';
    if (entry.kind === 'UsagePoint') {
      const id = /\/UsagePoint\/([^/?#]+)/.exec(self)?.[1];
      if (id && this.meterNames.size < MAX_REMEMBERED) this.meterNames.set(id, entry.title || `UsagePoint ${id}`);
    } else if (entry.kind === 'MeterReading') {
      const meterReading = /(\/UsagePoint\/[^/?#]+\/MeterReading\/[^/?#]+)/.exec(self)?.[1];
      const readingType = firstMatch(entry.links.filter((link) => link.rel === 'related').map((link) => link.href), /\/ReadingType\/([^/?#]+)/);
      if (meterReading && readingType && this.readingTypeOfMeterReading.size < MAX_REMEMBERED) this.readingTypeOfMeterReading.set(meterReading, readingType);
    } else if (entry.kind === 'ReadingType' && entry.parameters) {
      const parameters: ReadingParameters = { ...ESPI_DEFAULTS, ...entry.parameters };
      const id = /\/ReadingType\/([^/?#]+)/.exec(self)?.[1];
      if (id && this.parametersOfReadingType.size < MAX_REMEMBERED) this.parametersOfReadingType.set(id, parameters);
      this.latestParameters = parameters;
      if (this.held.length > 0) this.releaseHeld(parameters);
    }
  }

  private finishReading(block: Block, reading: Reading): void {
    if (!block.parameters) {
      // The ReadingType comes later in this feed: hold the reading (up to a limit) until then.
      if (this.held.length < MAX_HELD_READINGS) {
        this.held.push({ block, reading });
        return;
      }
      this.releaseHeld(undefined);
      block.parameters = ESPI_DEFAULTS;
    }
    this.emitReading(block, reading, block.parameters);
  }

  /** Emits the held readings with their ReadingType, or with ESPI's defaults when none came. */
  private releaseHeld(parameters: ReadingParameters | undefined): void {
    const held = this.held;
    this.held = [];
    for (const { block, reading } of held) {
      block.parameters ??= parameters ?? this.parametersFor(block) ?? ESPI_DEFAULTS;
      if (block.parameters === ESPI_DEFAULTS && !this.assumedDefaults) {
        this.assumedDefaults = true;
        this.reader.emit(note('green_button_default_unit', 'The feed gives no ReadingType before its readings; values were read as watt-hours (ESPI unit 72, multiplier 1).'));
      }
      this.emitReading(block, reading, block.parameters);
    }
  }

  private emitReading(block: Block, reading: Reading, parameters: ReadingParameters): void {
    const location = `IntervalReading #${reading.index} (line ${reading.line})`;
    if (parameters.uom !== WATT_HOURS && parameters.uom !== WATTS) {
      block.unsupported += 1;
      return;
    }
    const start = reading.start !== undefined && /^\d{1,12}$/.test(reading.start) ? Number(reading.start) : undefined;
    if (start === undefined) return this.reader.emit(rejected(location, fault('green_button_bad_start', `timePeriod start "${reading.start ?? ''}" is not a time in seconds since 1970`, { value: reading.start ?? '' })));
    const duration = reading.duration !== undefined && /^\d{1,9}$/.test(reading.duration) ? Number(reading.duration) : parameters.intervalLength;
    if (!duration || duration < 1 || duration > 366 * 24 * 3600) return this.reader.emit(rejected(location, fault('green_button_bad_duration', `timePeriod duration "${reading.duration ?? ''}" is not a number of seconds`, { value: reading.duration ?? '' })));
    const raw = reading.value !== undefined && /^-?\d{1,18}$/.test(reading.value) ? Number(reading.value) : undefined;
    if (raw === undefined) return this.reader.emit(rejected(location, fault('green_button_bad_value', `value "${reading.value ?? ''}" is not a whole number`, { value: reading.value ?? '' })));
    const scaled = raw * 10 ** parameters.powerOfTenMultiplier;
    const kWh = Number((parameters.uom === WATT_HOURS ? scaled / 1000 : (scaled * duration) / 3_600_000).toPrecision(12));
    if (!Number.isFinite(kWh) || Math.abs(kWh) > 1e9) return this.reader.emit(rejected(location, fault('green_button_out_of_range', `value ${raw} is out of range`, { value: raw })));
    const meter = block.meter && parameters.flowDirection === REVERSE_FLOW ? `${block.meter} (received)` : block.meter;
    const document: EnergyReading = { start: isoUtc(start * 1000), intervalSeconds: duration, kWh };
    if (meter) document.meter = meter.slice(0, 200);
    // The interval is part of the key: a feed's daily and hourly blocks share start times.
    this.reader.emit({ kind: 'document', collection: 'energy.readings', key: `${document.meter ?? ''}/${document.start}/${duration}`, document, location });
  }
}

function firstMatch(texts: string[], pattern: RegExp): string | undefined {
  for (const text of texts) {
    const match = pattern.exec(text);
    if (match?.[1]) return match[1];
  }
  return undefined;
}
