import { formatFloating, fromFloating, toFloating, utc } from '../formats/zones.ts';
import type { MashupQueries } from '../store/index.ts';

export type EnergyStep = 'hour' | 'day' | 'month' | 'year';

export interface EnergyTotal {
  /** The period in the device's zone: 2026-11-07T18 (hour), 2026-11-07, 2026-11, 2026. */
  period: string;
  kWh: number;
  readings: number;
}

const LENGTH: Record<EnergyStep, number> = { hour: 13, day: 10, month: 7, year: 4 };

/**
 * Energy used per hour, day, month or year of the device's time zone, between two of its days
 * (`to` excluded). Readings count in the hour they start in; a half-hour offset zone (India)
 * would put the half hour around midnight on the wrong day, a known limit.
 */
export function energyTotals(queries: Pick<MashupQueries, 'hourlyEnergy'>, options: { from: string; to: string; by: EnergyStep; timeZone: string }): EnergyTotal[] {
  const instant = (day: string) => fromFloating(options.timeZone, utc(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))));
  const totals = new Map<string, EnergyTotal>();
  for (const row of queries.hourlyEnergy({ from: instant(options.from), to: instant(options.to) })) {
    const period = formatFloating(toFloating(options.timeZone, row.hour)).slice(0, LENGTH[options.by]);
    const total = totals.get(period) ?? { period, kWh: 0, readings: 0 };
    total.kWh += row.kWh;
    total.readings += row.readings;
    totals.set(period, total);
  }
  // Thousandths of a kWh: what meters report, without float noise from the sums.
  return [...totals.values()].map((total) => ({ ...total, kWh: Math.round(total.kWh * 1000) / 1000 }));
}

/** The first and last day that hold readings, in the device's zone: how far the chart reaches. */
export function energySpan(queries: Pick<MashupQueries, 'energyStartSpan'>, timeZone: string): { first: string; last: string } | null {
  const span = queries.energyStartSpan();
  const day = (iso: string) => formatFloating(toFloating(timeZone, Date.parse(iso))).slice(0, 10);
  return span && { first: day(span.first), last: day(span.last) };
}
