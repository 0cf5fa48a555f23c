// A row of key figures at the top of a data page ("12 calls", "1 h 05 min").
import { h } from './dom.ts';

export function statTiles(label: string, figures: Array<[name: string, value: string]>): HTMLElement {
  return h(
    'dl',
    { class: 'stat-tiles', 'aria-label': label },
    figures.map(([name, value]) => h('div', { class: 'stat' }, h('dt', null, name), h('dd', null, value))),
  );
}
