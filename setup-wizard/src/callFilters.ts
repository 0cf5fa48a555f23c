// The call log's filters: one contact, a direction, a kind (voice, SMS…). They live in the page's
// address beside the period (?contact=vcard-1a2b&kind=sms) and go to the call-log API as they are.
import { h, uid } from './dom.ts';
import { t, type MessageKey } from './i18n.ts';

type FilterName = 'contact' | 'direction' | 'kind';

const DIRECTIONS: Array<[string, MessageKey]> = [
  ['outgoing', 'calls.outgoing'],
  ['incoming', 'calls.incoming'],
  ['missed', 'calls.missed'],
];
const KINDS: Array<[string, MessageKey]> = [
  ['voice', 'calls.kind.voice'],
  ['sms', 'calls.kind.sms'],
  ['mms', 'calls.kind.mms'],
  ['data', 'calls.kind.data'],
];

export interface CallFilters {
  element: HTMLElement;
  /** The filters set, as the API and the address take them. */
  values(): URLSearchParams;
  /** Contacts seen in the log so far: the contact filter offers them, most called first. */
  knowContacts(contacts: Array<{ id: string; name: string }>): void;
}

export function callFilters(params: URLSearchParams, onChange: () => void): CallFilters {
  const select = (name: FilterName, label: MessageKey, options: Array<[string, string]>) => {
    const control = h('select', { id: uid(name), name }, h('option', { value: '' }, t(name === 'contact' ? 'calls.anyone' : 'views.any')), options.map(([value, text]) => h('option', { value }, text)));
    control.value = params.get(name) ?? '';
    control.addEventListener('change', onChange);
    return { control, field: h('div', { class: 'field' }, h('label', { for: control.id }, t(label)), control) };
  };
  const contact = select('contact', 'calls.contact', []);
  const direction = select('direction', 'calls.direction', DIRECTIONS.map(([value, label]) => [value, t(label)]));
  const kind = select('kind', 'views.kind', KINDS.map(([value, label]) => [value, t(label)]));
  const known = new Set<string>();
  // A contact asked for by the address is offered before the log has named it.
  const asked = params.get('contact');
  if (asked) {
    contact.control.append(h('option', { value: asked }, t('calls.thisContact')));
    contact.control.value = asked;
  }

  return {
    element: h('div', { class: 'period-picker call-filters' }, contact.field, direction.field, kind.field),
    values() {
      const values = new URLSearchParams();
      for (const { control } of [contact, direction, kind]) if (control.value) values.set(control.name, control.value);
      return values;
    },
    knowContacts(contacts) {
      for (const { id, name } of contacts) {
        if (known.has(id)) continue;
        known.add(id);
        const existing = [...contact.control.options].find((option) => option.value === id);
        if (existing) existing.textContent = name;
        else contact.control.append(h('option', { value: id }, name));
      }
    },
  };
}
