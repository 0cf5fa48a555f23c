// The column mapping of a phone bill (calls-csv): which column holds the date and time, the
// number, the duration, the cost…, and the conventions of the country the bill comes from.
// It becomes the import's options: {"preset", "mapping": {"columns", "dateOrder", "decimal", "currency"}}.
import { CALL_PRESETS, callColumnsFromHeader, callPresetFromHeader, type CallPreset } from '../../runtime/src/formats/sniff.ts';
import type { CsvPreview } from './csvPreview.ts';
import { h, replace, uid } from './dom.ts';
import { field, type Field } from './fields.ts';
import { t, type MessageKey } from './i18n.ts';

const PRESET_LABELS: Record<CallPreset, MessageKey> = {
  fr: 'mapping.preset.fr',
  'en-gb': 'mapping.preset.en-gb',
  'en-us': 'mapping.preset.en-us',
  de: 'mapping.preset.de',
  international: 'mapping.preset.international',
};

type Role = 'datetime' | 'date' | 'time' | 'number' | 'duration' | 'cost' | 'direction' | 'kind';

const ROLE_LABELS: Record<Role, { label: MessageKey; hint?: MessageKey }> = {
  datetime: { label: 'mapping.datetime', hint: 'mapping.datetimeHint' },
  date: { label: 'mapping.date' },
  time: { label: 'mapping.time', hint: 'mapping.optional' },
  number: { label: 'mapping.number', hint: 'mapping.numberHint' },
  duration: { label: 'mapping.duration', hint: 'mapping.durationHint' },
  cost: { label: 'mapping.cost', hint: 'mapping.optional' },
  direction: { label: 'mapping.direction', hint: 'mapping.directionHint' },
  kind: { label: 'mapping.kind', hint: 'mapping.kindHint' },
};
const OPTIONAL: ReadonlySet<Role> = new Set(['time', 'cost', 'direction', 'kind']);

interface CallOptions {
  preset: CallPreset;
  mapping: { columns: Partial<Record<Role, string>> } & (typeof CALL_PRESETS)[CallPreset];
}

export interface CallMappingForm {
  element: HTMLElement;
  heading: HTMLElement;
  /** The file's columns, or undefined before a file is chosen. */
  setPreview(preview: CsvPreview | undefined, fileName?: string): void;
  /** Why the mapping is asked for (shown above the fields), or null. */
  setReason(text: string | null): void;
  /** Options from a previous import, to start from. */
  remember(options: Record<string, unknown> | null): void;
  /** True when every column of `options` is one of this file's columns. */
  fits(options: Record<string, unknown> | null): boolean;
  /** The options, or undefined after marking what is missing (focus goes to the first problem). */
  read(): CallOptions | undefined;
}

function isPreset(value: unknown): value is CallPreset {
  return typeof value === 'string' && Object.hasOwn(CALL_PRESETS, value);
}

function rememberedColumns(options: Record<string, unknown> | null): Partial<Record<Role, string>> {
  const mapping = options?.mapping;
  if (typeof mapping !== 'object' || mapping === null) return {};
  const columns = (mapping as { columns?: unknown }).columns;
  if (typeof columns !== 'object' || columns === null) return {};
  return Object.fromEntries(Object.entries(columns).filter(([, name]) => typeof name === 'string')) as Partial<Record<Role, string>>;
}

/** The columns the import itself would find from this header, so the mapping opens showing them. */
function detectedColumns(header: string[]): Partial<Record<Role, string>> {
  const found = callColumnsFromHeader(header) ?? {};
  return Object.fromEntries(Object.entries(found).filter(([role, name]) => role in ROLE_LABELS && typeof name === 'string')) as Partial<Record<Role, string>>;
}

/** `region`: the device's, so that an English header is read the way the import will (US dates month first). */
export function callMappingForm(defaultPreset: CallPreset, region: string): CallMappingForm {
  const headingId = uid('mapping-title');
  // The disclosure button above already says it; the heading names the region and takes focus.
  const heading = h('h3', { id: headingId, tabindex: -1, class: 'visually-hidden' }, t('mapping.title'));
  const lead = h('p', { class: 'hint' }, t('mapping.leadNoFile'));
  const reason = h('p', { class: 'notice', hidden: true });
  let preview: CsvPreview | undefined;
  let remembered: Partial<Record<Role, string>> = {};
  let detected: Partial<Record<Role, string>> = {};
  let presetChosen = false;

  const fields = new Map<Role, Field<HTMLSelectElement>>();
  for (const role of Object.keys(ROLE_LABELS) as Role[]) {
    const labels = ROLE_LABELS[role];
    const control = h('select', { name: role });
    const made = field(control, { label: t(labels.label), ...(labels.hint ? { hint: t(labels.hint) } : {}) });
    control.addEventListener('change', () => made.setError(null));
    fields.set(role, made);
  }
  const get = (role: Role) => fields.get(role)!;

  const layoutName = uid('layout');
  const oneId = uid('layout');
  const twoId = uid('layout');
  const one = h('input', { type: 'radio', name: layoutName, id: oneId, value: 'one', checked: true });
  const two = h('input', { type: 'radio', name: layoutName, id: twoId, value: 'two' });
  const showLayout = () => {
    get('datetime').wrapper.hidden = two.checked;
    get('date').wrapper.hidden = !two.checked;
    get('time').wrapper.hidden = !two.checked;
  };
  one.addEventListener('change', showLayout);
  two.addEventListener('change', showLayout);

  const presetSelect = h(
    'select',
    { name: 'preset' },
    (Object.keys(CALL_PRESETS) as CallPreset[]).map((preset) => h('option', { value: preset }, t(PRESET_LABELS[preset]))),
  );
  presetSelect.value = defaultPreset;
  presetSelect.addEventListener('change', () => (presetChosen = true));
  const preset = field(presetSelect, { label: t('mapping.preset'), hint: t('mapping.presetHint') });

  const columnsSlot = h(
    'div',
    { class: 'mapping-columns' },
    h(
      'fieldset',
      { class: 'mapping-group' },
      h('legend', null, t('mapping.when')),
      h(
        'div',
        { class: 'choice-row compact' },
        h('span', { class: 'check' }, one, h('label', { for: oneId }, t('mapping.oneColumn'))),
        h('span', { class: 'check' }, two, h('label', { for: twoId }, t('mapping.twoColumns'))),
      ),
      h('div', { class: 'mapping-fields' }, get('datetime').wrapper, get('date').wrapper, get('time').wrapper),
    ),
    h(
      'fieldset',
      { class: 'mapping-group' },
      h('legend', null, t('mapping.call')),
      h('div', { class: 'mapping-fields' }, (['number', 'duration', 'cost', 'direction', 'kind'] as const).map((role) => get(role).wrapper)),
    ),
    h('fieldset', { class: 'mapping-group' }, h('legend', null, t('mapping.conventions')), preset.wrapper),
  );
  const element = h('section', { class: 'mapping', 'aria-labelledby': headingId }, heading, lead, reason, columnsSlot);
  showLayout();

  const fitsFile = (columns: Partial<Record<Role, string>>) => {
    const names = Object.values(columns);
    return Boolean(preview) && names.length > 0 && names.every((name) => preview!.header.includes(name));
  };
  /** The last mapping that worked where it fits this file, else what the header itself says. */
  const starting = () => (fitsFile(remembered) ? remembered : detected);

  /** Two columns (date, time) when the starting columns have them apart; chosen again for each file. */
  function chooseLayout(): void {
    const columns = starting();
    two.checked = Boolean(columns.date && !columns.datetime);
    one.checked = !two.checked;
    showLayout();
  }

  function fillSelects(): void {
    const header = preview?.header ?? [];
    for (const [role, item] of fields) {
      const chosen = item.control.value || starting()[role] || '';
      replace(
        item.control,
        h('option', { value: '' }, t(OPTIONAL.has(role) ? 'mapping.none' : 'mapping.choose')),
        header.map((name, position) => {
          const sample = preview?.sample[position];
          return h('option', { value: name }, sample ? t('mapping.columnWithSample', { name, sample: sample.slice(0, 40) }) : name);
        }),
      );
      item.control.value = header.includes(chosen) ? chosen : '';
    }
  }

  return {
    element,
    heading,
    setPreview(next, fileName) {
      preview = next;
      detected = next ? detectedColumns(next.header) : {};
      if (next && !presetChosen && Object.keys(detected).length > 0) presetSelect.value = callPresetFromHeader(next.header, region);
      chooseLayout();
      columnsSlot.hidden = !next;
      lead.textContent = next ? t('mapping.lead', { file: fileName ?? '' }) : t(fileName ? 'mapping.leadUnreadable' : 'mapping.leadNoFile', { file: fileName ?? '' });
      fillSelects();
    },
    setReason(text) {
      reason.textContent = text ?? '';
      reason.hidden = !text;
    },
    remember(options) {
      remembered = rememberedColumns(options);
      // A header that names its columns says its conventions too; the last mapping speaks for the others.
      if (isPreset(options?.preset) && !presetChosen && Object.keys(detected).length === 0) presetSelect.value = options.preset;
      chooseLayout();
      fillSelects();
    },
    fits(options) {
      return fitsFile(rememberedColumns(options));
    },
    read() {
      const roles: Role[] = two.checked ? ['date', 'time', 'number', 'duration', 'cost', 'direction', 'kind'] : ['datetime', 'number', 'duration', 'cost', 'direction', 'kind'];
      const columns: Partial<Record<Role, string>> = {};
      const usedBy = new Map<string, Role>();
      let firstProblem: HTMLSelectElement | undefined;
      for (const role of roles) {
        const item = get(role);
        const name = item.control.value;
        item.setError(null);
        if (!name) {
          if (!OPTIONAL.has(role)) {
            item.setError(t('mapping.required'));
            firstProblem ??= item.control;
          }
          continue;
        }
        const other = usedBy.get(name);
        if (other) {
          item.setError(t('mapping.duplicate', { column: name, other: t(ROLE_LABELS[other].label) }));
          firstProblem ??= item.control;
          continue;
        }
        usedBy.set(name, role);
        columns[role] = name;
      }
      if (firstProblem) {
        firstProblem.focus();
        return undefined;
      }
      const chosen = isPreset(presetSelect.value) ? presetSelect.value : defaultPreset;
      return { preset: chosen, mapping: { columns, ...CALL_PRESETS[chosen] } };
    },
  };
}
