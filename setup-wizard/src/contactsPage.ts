// Contacts: the address book as a searchable list, a contact's card (phones, e-mails, addresses,
// photo, groups) with the calls made with them — the call log from the contact's side — and the
// form that adds or edits one.
import { api, ApiError } from './api.ts';
import { collectionList } from './collectionList.ts';
import { connectorName } from './dataNames.ts';
import { dataPageHead, exportCard } from './dataParts.ts';
import { confirmDialog } from './dialog.ts';
import { focusHeading, h, replace, uid, type Child } from './dom.ts';
import { errorMessage } from './errors.ts';
import { busy, field, formAlert, say } from './fields.ts';
import { formatCallDuration, formatDateTimeShort, formatDay, formatMoney, formatTalkTime } from './format.ts';
import { icon } from './icons.ts';
import { t, type MessageKey } from './i18n.ts';
import { PAGE_PATHS, type Page } from './pages.ts';
import type { CallLog, Contact, StoredDocument } from './types.ts';

const CONTACTS = '/data/contacts';
const contactPath = (id: string) => `${CONTACTS}/${encodeURIComponent(id)}`;
const documentUrl = (id: string) => `/api/v1/collections/contacts/${encodeURIComponent(id)}`;
/** The schema takes 2,000,000 characters of base64: about 1.4 MB of picture. */
const MAX_PHOTO_BYTES = 1_400_000;
const PHONE_TYPES = ['cell', 'home', 'work', 'other'] as const;
const EMAIL_TYPES = ['home', 'work', 'other'] as const;

const TYPE_WORDS: Record<string, MessageKey> = {
  cell: 'contacts.type.cell',
  home: 'contacts.type.home',
  work: 'contacts.type.work',
  other: 'contacts.type.other',
};
const typeWord = (types: string[]) =>
  types
    .map((type) => type.toLowerCase())
    .filter((type) => type !== 'pref' && type !== 'voice' && type !== 'internet')
    .map((type) => (TYPE_WORDS[type] ? t(TYPE_WORDS[type]) : type))
    .join(', ');

/** Initials on a coloured disc, or the contact's own photo. */
function avatar(contact: Pick<Contact, 'fullName' | 'photo'>, size: 'small' | 'large'): HTMLElement {
  if (contact.photo && /^image\/(png|jpeg|gif|webp)$/i.test(contact.photo.mediaType)) {
    return h('img', { class: `avatar ${size}`, src: `data:${contact.photo.mediaType};base64,${contact.photo.data}`, alt: size === 'large' ? t('contacts.photoOf', { name: contact.fullName }) : '' });
  }
  const initials = contact.fullName
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]!.toUpperCase())
    .join('');
  return h('span', { class: `avatar ${size}`, 'aria-hidden': 'true' }, initials || '?');
}

function addressLines(address: Contact['addresses'][number]): string[] {
  return [address.street, [address.postalCode, address.locality].filter(Boolean).join(' '), address.region, address.country].filter((line): line is string => Boolean(line));
}

export const showContacts: Page = (root, context) => {
  const controller = new AbortController();
  const heading = dataPageHead(
    root,
    context,
    t('contacts.title'),
    t('contacts.lead'),
    h('a', { class: 'button primary small', href: `${CONTACTS}/new` }, icon('plus'), t('contacts.add')),
  );
  // After a delete, the list says what went, once.
  const deleted = context.params.get('deleted');
  if (deleted !== null) {
    const params = new URLSearchParams(context.params);
    params.delete('deleted');
    context.replaceParams(params);
    context.params.delete('deleted');
    root.append(h('p', { class: 'notice', role: 'status' }, t('contacts.deleted', { name: deleted })));
  }
  const list = collectionList<Contact>({
    collection: 'contacts',
    title: t('contacts.listTitle'),
    tableClass: 'contacts-table',
    columns: [
      {
        header: t('contacts.name'),
        rowHeader: true,
        class: 'contact-cell',
        cell: (row) =>
          h(
            'span',
            { class: 'contact-line' },
            avatar(row.data, 'small'),
            h('span', null, h('a', { href: contactPath(row.id), class: 'contact-name' }, row.data.fullName), row.data.organization ? h('span', { class: 'contact-org' }, row.data.organization) : null),
          ),
      },
      { header: t('contacts.phone'), class: 'mono', cell: (row) => row.data.phones[0]?.number ?? '' },
      { header: t('contacts.email'), class: 'contact-email', cell: (row) => row.data.emails[0]?.address ?? '' },
    ],
    sorts: [
      { value: 'fullName', label: t('contacts.sortAz') },
      { value: '-fullName', label: t('contacts.sortZa') },
    ],
    searchLabel: t('contacts.search'),
    params: context.params,
    replaceParams: context.replaceParams,
    empty: () =>
      h(
        'div',
        { class: 'empty-state inline' },
        icon('user'),
        h('h3', null, t('contacts.emptyTitle')),
        h('p', { class: 'card-lead' }, t('contacts.emptyLead')),
        h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: `${PAGE_PATHS.import}?connector=vcard` }, t('contacts.emptyImport')), h('a', { class: 'button primary', href: `${CONTACTS}/new` }, t('contacts.add'))),
      ),
  });
  root.append(list.element, exportCard(['contacts'], controller.signal));
  focusHeading(heading);
  return () => {
    controller.abort();
    list.dispose();
  };
};

/** The calls with one contact: the call-log mash-up asked from the contact's side. */
function callsCard(id: string, name: string, timeZone: string | undefined, signal: AbortSignal): HTMLElement {
  const body = h('div', null, h('p', { class: 'updated' }, t('app.loading')));
  const card = h(
    'section',
    { class: 'card', 'aria-labelledby': 'contact-calls-title', 'aria-busy': 'true' },
    h('h2', { id: 'contact-calls-title' }, t('contacts.callsTitle', { name })),
    body,
  );
  void api<CallLog>(`/api/v1/mashups/call-log?contact=${encodeURIComponent(id)}&limit=50`, { signal })
    .then((log) => {
      if (log.totalCalls === 0) {
        replace(body, h('p', { class: 'empty' }, t('contacts.noCalls')));
        return;
      }
      const seconds = log.monthly.reduce((sum, row) => sum + row.durationSeconds, 0);
      replace(
        body,
        h('p', { class: 'card-lead' }, t('contacts.callsSummary', { count: log.totalCalls, time: formatTalkTime(seconds) })),
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'data-table doc-table contact-calls', role: 'table' },
            h(
              'thead',
              { role: 'rowgroup' },
              h(
                'tr',
                { role: 'row' },
                [t('calls.when'), t('calls.number'), t('calls.direction'), t('calls.duration'), t('calls.cost')].map((header, index) =>
                  h('th', { scope: 'col', role: 'columnheader', class: index >= 3 ? 'num' : false }, header),
                ),
              ),
            ),
            h(
              'tbody',
              { role: 'rowgroup' },
              log.calls.map((call) =>
                h(
                  'tr',
                  { role: 'row' },
                  h('td', { role: 'cell', 'data-label': t('calls.when') }, h('time', { datetime: call.start }, formatDateTimeShort(call.start, timeZone))),
                  h('td', { role: 'cell', class: 'mono nowrap', 'data-label': t('calls.number') }, call.number),
                  h('td', { role: 'cell', 'data-label': t('calls.direction') }, directionWords(call.direction, call.kind)),
                  h('td', { role: 'cell', class: 'num', 'data-label': t('calls.duration') }, formatCallDuration(call.durationSeconds)),
                  h('td', { role: 'cell', class: 'num', 'data-label': t('calls.cost') }, call.cost === null ? '—' : formatMoney(call.cost, call.currency)),
                ),
              ),
            ),
          ),
        ),
        log.totalCalls > log.calls.length ? h('p', { class: 'hint' }, t('calls.showing', { shown: log.calls.length, total: log.totalCalls })) : null,
        h('p', null, h('a', { href: PAGE_PATHS.calls }, t('contacts.openCallLog'))),
      );
    })
    .catch((error: unknown) => {
      if (signal.aborted || (error instanceof ApiError && error.handled)) return;
      replace(body, h('p', { class: 'form-alert', role: 'alert' }, t('data.readError', { message: errorMessage(error) })));
    })
    .finally(() => card.removeAttribute('aria-busy'));
  return card;
}

function directionWords(direction: string, kind: string): string {
  const words = direction === 'outgoing' ? t('calls.outgoing') : direction === 'incoming' ? t('calls.incoming') : direction === 'missed' ? t('calls.missed') : direction === 'unknown' ? t('calls.unknownDirection') : direction;
  return kind === 'voice' ? words : `${words} · ${kind.toUpperCase()}`;
}

export function showContact(id: string): Page {
  return (root, context) => {
    const controller = new AbortController();
    document.title = t('contacts.title');
    replace(root, h('p', { class: 'updated' }, t('app.loading')));
    void (async () => {
      let stored: StoredDocument<Contact>;
      try {
        stored = await api<StoredDocument<Contact>>(documentUrl(id), { signal: controller.signal });
      } catch (error) {
        if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
        const gone = error instanceof ApiError && error.status === 404;
        const heading = dataPageHead(root, context, t(gone ? 'contacts.notFound' : 'contacts.title'), gone ? t('contacts.notFoundLead') : '');
        root.append(h('p', { class: 'form-alert', role: 'alert' }, gone ? h('a', { href: CONTACTS }, t('contacts.backToList')) : errorMessage(error)));
        focusHeading(heading);
        return;
      }
      const contact = stored.data;
      const remove = h('button', { type: 'button', class: 'button danger-quiet small' }, t('contacts.delete'));
      const heading = dataPageHead(
        root,
        context,
        contact.fullName,
        [contact.title, contact.organization].filter(Boolean).join(', ') || t('contacts.cardLead'),
        h('a', { class: 'button primary small', href: `${contactPath(id)}/edit` }, t('common.edit')),
        remove,
      );
      const alert = formAlert();
      remove.addEventListener('click', () => {
        void (async () => {
          const sure = await confirmDialog({ title: t('contacts.deleteTitle', { name: contact.fullName }), body: t('contacts.deleteBody'), confirm: t('contacts.delete'), danger: true });
          if (!sure) return;
          try {
            await api(documentUrl(id), { method: 'DELETE' });
            context.navigate(`${CONTACTS}?deleted=${encodeURIComponent(contact.fullName)}`);
          } catch (error) {
            if (!(error instanceof ApiError && error.handled)) say(alert, errorMessage(error));
          }
        })();
      });

      const facts: Array<[MessageKey, Child]> = [];
      if (contact.phones.length > 0) {
        facts.push([
          'contacts.phones',
          h('ul', { class: 'plain-list' }, contact.phones.map((phone) => h('li', null, h('a', { href: `tel:${phone.e164 ?? phone.number.replace(/[^\d+]/g, '')}`, class: 'mono' }, phone.number), phone.types.length > 0 ? h('span', { class: 'type' }, typeWord(phone.types)) : null))),
        ]);
      }
      if (contact.emails.length > 0) {
        facts.push([
          'contacts.emails',
          h('ul', { class: 'plain-list' }, contact.emails.map((email) => h('li', null, h('a', { href: `mailto:${email.address}` }, email.address), email.types.length > 0 ? h('span', { class: 'type' }, typeWord(email.types)) : null))),
        ]);
      }
      if (contact.addresses.length > 0) {
        facts.push([
          'contacts.addresses',
          h('ul', { class: 'plain-list' }, contact.addresses.map((address) => h('li', null, h('address', null, addressLines(address).map((line, index) => [index > 0 ? h('br') : null, line])), address.types.length > 0 ? h('span', { class: 'type' }, typeWord(address.types)) : null))),
        ]);
      }
      if (contact.birthday) facts.push(['contacts.birthday', /^\d{4}-\d{2}-\d{2}$/.test(contact.birthday) ? formatDay(contact.birthday) : contact.birthday]);
      if (contact.groups.length > 0) facts.push(['contacts.groups', h('span', { class: 'chips' }, contact.groups.map((group) => h('span', { class: 'chip' }, group)))]);
      if (contact.note) facts.push(['contacts.note', h('p', { class: 'note-text' }, contact.note)]);

      root.append(
        alert,
        h(
          'div',
          { class: 'grid contact-grid' },
          h(
            'section',
            { class: 'card contact-card', 'aria-labelledby': 'contact-card-title' },
            h('div', { class: 'contact-card-head' }, avatar(contact, 'large'), h('h2', { id: 'contact-card-title', class: 'visually-hidden' }, t('contacts.details'))),
            facts.length > 0
              ? h('dl', { class: 'facts contact-facts' }, facts.map(([label, value]) => h('div', null, h('dt', null, t(label)), h('dd', null, value))))
              : h('p', { class: 'empty' }, t('contacts.nothingMore')),
            h('p', { class: 'hint' }, t('contacts.source', { source: sourceName(stored.source), date: formatDateTimeShort(stored.updated) })),
          ),
          callsCard(id, contact.fullName, context.device?.timezone, controller.signal),
        ),
      );
      focusHeading(heading);
    })();
    return () => controller.abort();
  };
}

/** Where a document came from, in words: this device (the API, this form) or the connector's name. */
function sourceName(source: string): string {
  return source === 'api' ? t('contacts.sourceApi') : connectorName({ id: source, name: source });
}

/** One editable row of a repeated part (a phone, an e-mail, an address), with its Remove button. */
interface RowEditor<T> {
  element: HTMLElement;
  value(): T | undefined;
}

function repeated<T>(legend: string, addLabel: string, initial: T[], make: (value: T | undefined, index: number) => RowEditor<T>): { element: HTMLElement; values(): T[] } {
  const rows: Array<RowEditor<T>> = [];
  const list = h('div', { class: 'repeat-rows' });
  let counter = 0;
  const addRow = (value: T | undefined, focus = false) => {
    const editor = make(value, (counter += 1));
    const removeButton = h('button', { type: 'button', class: 'button secondary small remove-row' }, t('contacts.remove'));
    const wrapper = h('div', { class: 'repeat-row' }, editor.element, removeButton);
    removeButton.addEventListener('click', () => {
      rows.splice(rows.indexOf(editor), 1);
      wrapper.remove();
      add.focus();
    });
    rows.push(editor);
    list.append(wrapper);
    if (focus) wrapper.querySelector<HTMLElement>('input, select')?.focus();
  };
  const add = h('button', { type: 'button', class: 'button secondary small' }, icon('plus'), addLabel);
  add.addEventListener('click', () => addRow(undefined, true));
  for (const value of initial) addRow(value);
  return {
    element: h('fieldset', { class: 'repeat' }, h('legend', null, legend), list, add),
    values: () => rows.map((row) => row.value()).filter((value): value is T => value !== undefined),
  };
}

function typeSelect(types: readonly string[], current: string[], label: string): HTMLSelectElement {
  const known = current.map((type) => type.toLowerCase()).find((type) => types.includes(type));
  const select = h('select', { 'aria-label': label }, types.map((type) => h('option', { value: type }, t(TYPE_WORDS[type]!))));
  select.value = known ?? types[0]!;
  return select;
}

/** The types a row keeps: the one chosen, then those the form does not offer (pref, fax…). */
const withType = (chosen: string, offered: readonly string[], before: string[]) => [chosen, ...before.filter((type) => !offered.includes(type.toLowerCase()))];

/** Add (id undefined) or edit a contact. Fields the form does not show (uid, a phone's other types) are kept. */
export function showContactForm(id: string | undefined): Page {
  return (root, context) => {
    const controller = new AbortController();
    replace(root, h('p', { class: 'updated' }, t('app.loading')));
    void (async () => {
      let existing: StoredDocument<Contact> | undefined;
      if (id !== undefined) {
        try {
          existing = await api<StoredDocument<Contact>>(documentUrl(id), { signal: controller.signal });
        } catch (error) {
          if (controller.signal.aborted || (error instanceof ApiError && error.handled)) return;
          const heading = dataPageHead(root, context, t('contacts.notFound'), t('contacts.notFoundLead'));
          root.append(h('p', { class: 'form-alert', role: 'alert' }, errorMessage(error)));
          focusHeading(heading);
          return;
        }
      }
      if (controller.signal.aborted) return;
      drawForm(existing);
    })();

    function drawForm(existing: StoredDocument<Contact> | undefined): void {
      const before: Partial<Contact> = existing?.data ?? {};
      const title = existing ? t('contacts.editTitle', { name: existing.data.fullName }) : t('contacts.addTitle');
      const heading = dataPageHead(root, context, title, existing && existing.source !== 'api' ? t('contacts.importedNote', { source: sourceName(existing.source) }) : t('contacts.formLead'));

      const text = (label: string, value: string | undefined, attrs: Record<string, string | boolean> = {}) => field(h('input', { type: 'text', value: value ?? '', ...attrs }), { label });
      const fullName = text(t('contacts.fullName'), before.fullName, { required: true, autocomplete: 'off', maxlength: '300' });
      const givenName = text(t('contacts.givenName'), before.givenName, { maxlength: '200' });
      const familyName = text(t('contacts.familyName'), before.familyName, { maxlength: '200' });
      const organization = text(t('contacts.organization'), before.organization, { maxlength: '300' });
      const jobTitle = text(t('contacts.jobTitle'), before.title, { maxlength: '300' });
      const birthday = field(h('input', { type: 'date', value: before.birthday && /^\d{4}-\d{2}-\d{2}$/.test(before.birthday) ? before.birthday : '' }), { label: t('contacts.birthday') });
      const groups = text(t('contacts.groups'), (before.groups ?? []).join(', '), { maxlength: '2000' });
      groups.setHint(t('contacts.groupsHint'));
      const note = field(h('textarea', { rows: 4, maxlength: '10000' }), { label: t('contacts.note') });
      note.control.value = before.note ?? '';

      const phones = repeated<Contact['phones'][number]>(t('contacts.phones'), t('contacts.addPhone'), before.phones ?? [], (value, index) => {
        const number = h('input', { type: 'tel', value: value?.number ?? '', id: uid('phone'), autocomplete: 'off', maxlength: '100' });
        const type = typeSelect(PHONE_TYPES, value?.types ?? [], t('contacts.phoneType', { n: index }));
        return {
          element: h('div', { class: 'row-fields' }, h('label', { for: number.id, class: 'visually-hidden' }, t('contacts.phoneNumber', { n: index })), number, type),
          value: () => {
            const written = number.value.trim();
            if (!written) return undefined;
            // The number the bill meets it by (E.164) is kept only while the number is the same.
            const e164 = value && value.number === written ? value.e164 : undefined;
            return { number: written, ...(e164 ? { e164 } : {}), types: withType(type.value, PHONE_TYPES, value?.types ?? []) };
          },
        };
      });
      const emails = repeated<Contact['emails'][number]>(t('contacts.emails'), t('contacts.addEmail'), before.emails ?? [], (value, index) => {
        const address = h('input', { type: 'email', value: value?.address ?? '', id: uid('email'), autocomplete: 'off', maxlength: '320' });
        const type = typeSelect(EMAIL_TYPES, value?.types ?? [], t('contacts.emailType', { n: index }));
        return {
          element: h('div', { class: 'row-fields' }, h('label', { for: address.id, class: 'visually-hidden' }, t('contacts.emailAddress', { n: index })), address, type),
          value: () => (address.value.trim() ? { address: address.value.trim(), types: withType(type.value, EMAIL_TYPES, value?.types ?? []) } : undefined),
        };
      });
      const addresses = repeated<Contact['addresses'][number]>(t('contacts.addresses'), t('contacts.addAddress'), before.addresses ?? [], (value, index) => {
        const part = (key: 'street' | 'postalCode' | 'locality' | 'region' | 'country', label: MessageKey) => {
          const input = h('input', { type: 'text', value: value?.[key] ?? '', id: uid(key), maxlength: key === 'street' ? '500' : '200' });
          return { key, input, element: h('div', { class: `field address-${key}` }, h('label', { for: input.id }, t(label)), input) };
        };
        const parts = [part('street', 'contacts.street'), part('postalCode', 'contacts.postalCode'), part('locality', 'contacts.locality'), part('region', 'contacts.region'), part('country', 'contacts.country')];
        return {
          element: h('div', { class: 'address-fields', role: 'group', 'aria-label': t('contacts.addressN', { n: index }) }, parts.map((entry) => entry.element)),
          value: () => {
            const filled = Object.fromEntries(parts.filter((entry) => entry.input.value.trim()).map((entry) => [entry.key, entry.input.value.trim()]));
            return Object.keys(filled).length > 0 ? { ...filled, types: value?.types ?? [] } : undefined;
          },
        };
      });

      const photoInput = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp' });
      const photo = field(photoInput, { label: t('contacts.photo'), hint: t('contacts.photoHint') });
      let photoValue = before.photo;
      const preview = h('div', { class: 'photo-preview' });
      const drawPreview = () => {
        replace(preview, photoValue ? avatar({ fullName: fullName.control.value || '?', photo: photoValue }, 'large') : null);
        removePhoto.hidden = !photoValue;
      };
      const removePhoto = h('button', { type: 'button', class: 'button secondary small' }, t('contacts.removePhoto'));
      removePhoto.addEventListener('click', () => {
        photoValue = undefined;
        photoInput.value = '';
        drawPreview();
      });
      photoInput.addEventListener('change', () => {
        const file = photoInput.files?.[0];
        photo.setError(null);
        if (!file) return;
        if (file.size > MAX_PHOTO_BYTES) {
          photo.setError(t('contacts.photoTooBig'));
          photoInput.value = '';
          return;
        }
        const reader = new FileReader();
        reader.addEventListener('load', () => {
          const [, mediaType, data] = /^data:([^;]+);base64,(.*)$/.exec(String(reader.result)) ?? [];
          if (!mediaType || !data) return photo.setError(t('contacts.photoUnreadable'));
          photoValue = { mediaType, data };
          drawPreview();
        });
        reader.readAsDataURL(file);
      });
      drawPreview();

      const alert = formAlert();
      const save = h('button', { type: 'submit', class: 'button primary' }, t(existing ? 'contacts.save' : 'contacts.create'));
      const cancel = h('a', { class: 'button secondary', href: existing ? contactPath(existing.id) : CONTACTS }, t('common.cancel'));
      const form = h(
        'form',
        { class: 'card contact-form', novalidate: true, 'aria-labelledby': 'contact-form-title' },
        h('h2', { id: 'contact-form-title', class: 'visually-hidden' }, title),
        alert,
        h('fieldset', null, h('legend', null, t('contacts.nameLegend')), fullName.wrapper, h('div', { class: 'field-pair' }, givenName.wrapper, familyName.wrapper), h('div', { class: 'field-pair' }, organization.wrapper, jobTitle.wrapper)),
        phones.element,
        emails.element,
        addresses.element,
        h('fieldset', null, h('legend', null, t('contacts.more')), birthday.wrapper, groups.wrapper, note.wrapper, photo.wrapper, h('div', { class: 'photo-row' }, preview, removePhoto)),
        h('div', { class: 'actions' }, cancel, save),
      );
      root.append(form);

      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const name = fullName.control.value.trim();
        fullName.setError(name ? null : t('contacts.nameRequired'));
        if (!name) {
          say(alert, t('contacts.nameRequired'), 'error', true);
          fullName.control.focus();
          return;
        }
        const optional = (key: keyof Contact, value: string) => (value.trim() ? { [key]: value.trim() } : {});
        // Kept from the document as it was: what this form does not edit.
        const kept: Partial<Contact> = {};
        if (before.uid) kept.uid = before.uid;
        if (before.birthday && !/^\d{4}-\d{2}-\d{2}$/.test(before.birthday) && !birthday.control.value) kept.birthday = before.birthday;
        const data: Contact = {
          ...kept,
          fullName: name,
          ...optional('givenName', givenName.control.value),
          ...optional('familyName', familyName.control.value),
          ...optional('organization', organization.control.value),
          ...optional('title', jobTitle.control.value),
          ...optional('birthday', birthday.control.value),
          ...optional('note', note.control.value),
          phones: phones.values(),
          emails: emails.values(),
          addresses: addresses.values(),
          groups: [...new Set(groups.control.value.split(',').map((group) => group.trim()).filter(Boolean))],
          ...(photoValue ? { photo: photoValue } : {}),
        };
        const target = existing?.id ?? `contact-${crypto.randomUUID()}`;
        const done = busy(form, save, t('common.working'));
        void (async () => {
          try {
            await api(documentUrl(target), { method: 'PUT', body: data });
            context.navigate(contactPath(target));
          } catch (error) {
            done();
            if (error instanceof ApiError && error.handled) return;
            say(alert, t('contacts.saveError', { message: errorMessage(error) }));
          }
        })();
      });
      focusHeading(heading);
    }
    return () => controller.abort();
  };
}
