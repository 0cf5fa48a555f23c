import { headerWords } from './header.ts';
import { durationUnitOf, readDuration } from './time.ts';
import type { EnergyUnit } from './header.ts';

/** What a preamble says about the readings below it, where the readings' own header does not. */
export interface PreambleFacts {
  unit?: EnergyUnit;
  intervalSeconds?: number;
  meter?: string;
}

const UNITS: Record<string, EnergyUnit> = { kwh: 'kWh', wh: 'Wh', w: 'W', kw: 'kW' };

/**
 * Enedis' "courbe de charge" export puts the unit, the step and the meter in a two-line preamble
 * (`…;Unite;Pas en minutes` over `…;W;30`) and heads the readings with a bare `Horodate;Valeur`:
 * reading that header alone refused every reading for want of a unit. A preamble line is read as
 * the names of the values on the line after it.
 */
export function preambleFacts(names: string[], values: string[]): PreambleFacts {
  const facts: PreambleFacts = {};
  names.forEach((name, index) => {
    const words = headerWords(name);
    const value = (values[index] ?? '').trim();
    if (!value) return;
    if (words.includes('unite') || words.includes('unit')) {
      const unit = UNITS[value.toLowerCase()];
      if (unit) facts.unit = unit;
    } else if (words.includes('pas') || words.includes('interval') || words.includes('step')) {
      const seconds = readDuration(value, durationUnitOf(words));
      if (seconds !== undefined && seconds >= 1) facts.intervalSeconds = seconds;
    } else if (words.includes('prm') || words.includes('pdl') || words.includes('mpan') || words.includes('meter') || words.includes('compteur')) {
      facts.meter = value.slice(0, 200);
    }
  });
  return facts;
}
