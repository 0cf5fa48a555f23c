import { createHash } from 'node:crypto';
import { type Contact, contactSchema } from '../../store/collections.ts';
import { toE164 } from '../phone.ts';
import { fault, note, rejected, type Fault, type NoteCode, type ParsedItem, type ReportParams } from '../types.ts';
import { type Property, paramUpper, splitUnescaped, unescapeText } from '../contentLine/index.ts';
import { readPhoto } from './photo.ts';
import { appleLabel, decodedValue, normaliseBirthday } from './values.ts';

type Phone = Contact['phones'][number];
type Email = Contact['emails'][number];
type Address = Contact['addresses'][number];

/** An entry with its Apple group (`item1.`), whose X-ABLabel becomes one of its types once the card is read. */
interface Grouped<T> {
  entry: T;
  group: string | undefined;
}

/** A note waiting for the card's name, which may come after the property it is about: its code, its words, its values. */
interface PendingNote {
  code: NoteCode;
  text: (name: string) => string;
  params?: ReportParams;
}

const LIMITS = { phones: 50, emails: 50, addresses: 20, groups: 100, note: 10_000 } as const;
const MAX_PROPERTIES = 5_000;
/** Read but not kept: big binary siblings of PHOTO, and an embedded 2.1 agent. */
const SKIPPED = new Set(['LOGO', 'SOUND', 'KEY', 'AGENT']);
/** Google's system group that every contact is in: as a group it says nothing. */
const SYSTEM_GROUPS = new Set(['mycontacts']);

/** Collects one card's properties and turns them into a contact, a rejection, and notes. */
export class CardBuilder {
  readonly location: string;
  private fullName: string | undefined;
  private nameParts: string[] | undefined;
  private organization: string | undefined;
  private title: string | undefined;
  private uid: string | undefined;
  private note: string | undefined;
  private birthday: string | undefined;
  private photo: Contact['photo'];
  private readonly phones: Array<Grouped<Phone>> = [];
  private readonly emails: Array<Grouped<Email>> = [];
  private readonly addresses: Array<Grouped<Address>> = [];
  private readonly groups: string[] = [];
  private readonly labels = new Map<string, string>();
  private readonly notes: PendingNote[] = [];
  private propertyCount = 0;
  private isGroupCard = false;
  private broken: Fault | undefined;

  constructor(
    index: number,
    line: number,
    private readonly defaultRegion: string,
  ) {
    this.location = `vCard #${index} (line ${line})`;
  }

  /** The first fault decides: the card is rejected with it when it ends. */
  fail(why: Fault): void {
    this.broken ??= why;
  }

  add(property: Property, line: number, truncated: boolean): void {
    if (this.broken || SKIPPED.has(property.name)) return;
    if (++this.propertyCount > MAX_PROPERTIES) return this.fail(fault('too_many_properties', `more than ${MAX_PROPERTIES} properties`, { max: MAX_PROPERTIES }));
    if (property.name === 'PHOTO') return this.addPhoto(property, truncated);
    if (truncated) return this.fail(fault('line_too_long', `line ${line} (${property.name}) is too long`, { line, property: property.name }));
    switch (property.name) {
      case 'FN':
        this.fullName ||= textOf(property) || undefined;
        break;
      case 'N':
        this.nameParts ??= componentsOf(property);
        break;
      case 'ORG':
        this.organization ??= componentsOf(property).filter(Boolean).join(', ') || undefined;
        break;
      case 'TITLE':
        this.title ??= textOf(property) || undefined;
        break;
      case 'UID':
        this.uid ??= textOf(property) || undefined;
        break;
      case 'NOTE': {
        const note = textOf(property);
        if (note) this.note = this.note ? `${this.note}\n\n${note}` : note;
        break;
      }
      case 'BDAY': {
        const value = textOf(property);
        this.birthday ??= normaliseBirthday(property, value);
        if (!this.birthday) this.notes.push({ code: 'vcard_birthday_unreadable', text: (name) => `birthday of ${name} not understood ("${value.slice(0, 40)}") and left out`, params: { value: value.slice(0, 40) } });
        break;
      }
      case 'TEL':
        this.addPhone(property, textOf(property));
        break;
      case 'EMAIL': {
        const address = textOf(property).replace(/^mailto:/i, '');
        if (address) this.emails.push({ entry: { address, types: typesOf(property).filter((type) => type !== 'internet') }, group: property.group });
        break;
      }
      case 'ADR': {
        const [poBox = '', extended = '', street = '', locality = '', region = '', postalCode = '', country = ''] = componentsOf(property);
        const address: Address = { types: typesOf(property) };
        const streetLines = [street, extended, poBox].filter(Boolean).join(', ');
        if (streetLines) address.street = streetLines;
        if (locality) address.locality = locality;
        if (region) address.region = region;
        if (postalCode) address.postalCode = postalCode;
        if (country) address.country = country;
        if (Object.keys(address).length > 1) this.addresses.push({ entry: address, group: property.group });
        break;
      }
      case 'CATEGORIES':
        for (const part of splitUnescaped(valueOf(property), ',')) {
          const group = unescapeText(part).trim();
          if (group && !SYSTEM_GROUPS.has(group.toLowerCase()) && !this.groups.includes(group)) this.groups.push(group);
        }
        break;
      case 'X-ABLABEL':
        if (property.group) this.labels.set(property.group, appleLabel(textOf(property)));
        break;
      case 'KIND':
      case 'X-ADDRESSBOOKSERVER-KIND':
        this.isGroupCard ||= textOf(property).toLowerCase() === 'group';
        break;
    }
  }

  private addPhone(property: Property, value: string): void {
    // 4.0 writes `TEL;VALUE=uri:tel:+33-6-…;ext=2`: the number is the URI's body, its extension
    // written the way people (and libphonenumber) read it.
    let number = value;
    if (/^tel:/i.test(value)) {
      const [body = '', ...params] = value.slice(4).split(';');
      const extension = params.find((param) => /^ext=/i.test(param))?.slice(4);
      number = extension ? `${body.trim()} ext. ${extension.trim()}` : body.trim();
    }
    if (!number) return;
    const phone: Phone = { number, types: typesOf(property) };
    const e164 = toE164(number, this.defaultRegion);
    if (e164) phone.e164 = e164;
    this.phones.push({ entry: phone, group: property.group });
  }

  private addPhoto(property: Property, truncated: boolean): void {
    if (this.photo) return;
    const reading = readPhoto(property, truncated);
    if ('photo' in reading) this.photo = reading.photo;
    else this.notes.push({ code: reading.code, text: (name) => `photo of ${name} dropped: ${reading.dropped}`, ...(reading.params ? { params: reading.params } : {}) });
  }

  finish(): ParsedItem[] {
    const displayName = this.displayName();
    const location = this.location;
    if (this.isGroupCard) {
      return [note('vcard_group_card', `${location}: group card "${displayName ?? '?'}" skipped; groups are read from each contact's CATEGORIES`, { location, name: displayName ?? '?' })];
    }
    if (this.broken) return [rejected(location, this.broken)];
    if (!displayName) return [rejected(location, fault('vcard_no_name', 'no name, phone number or e-mail address'))];

    const items: ParsedItem[] = this.notes.map((pending) => note(pending.code, `${location}: ${pending.text(displayName)}`, { location, name: displayName, ...pending.params }));
    const capped = <T>(list: T[], limit: number, what: string, code: NoteCode): T[] => {
      if (list.length <= limit) return list;
      items.push(note(code, `${location}: ${displayName} has ${list.length} ${what}; the first ${limit} were kept`, { location, name: displayName, count: list.length, limit }));
      return list.slice(0, limit);
    };
    const contact: Contact = {
      fullName: displayName,
      phones: capped(this.labelled(this.phones), LIMITS.phones, 'phone numbers', 'vcard_too_many_phones'),
      emails: capped(this.labelled(this.emails), LIMITS.emails, 'e-mail addresses', 'vcard_too_many_emails'),
      addresses: capped(this.labelled(this.addresses), LIMITS.addresses, 'addresses', 'vcard_too_many_addresses'),
      groups: capped(this.groups, LIMITS.groups, 'groups', 'vcard_too_many_groups'),
    };
    const [familyName, givenName] = this.nameParts ?? [];
    if (givenName) contact.givenName = givenName;
    if (familyName) contact.familyName = familyName;
    if (this.organization) contact.organization = this.organization;
    if (this.title) contact.title = this.title;
    if (this.birthday) contact.birthday = this.birthday;
    if (this.note) {
      if (this.note.length > LIMITS.note) items.push(note('vcard_note_cut', `${location}: note of ${displayName} cut to ${LIMITS.note} characters`, { location, name: displayName, limit: LIMITS.note }));
      contact.note = this.note.slice(0, LIMITS.note);
    }
    if (this.photo) contact.photo = this.photo;
    if (this.uid) contact.uid = this.uid;

    const checked = contactSchema.safeParse(contact);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const reason = `${issue?.path.join('.') || 'contact'}: ${issue?.message ?? 'invalid'}`;
      return [rejected(location, fault('record_invalid', reason, { reason }))];
    }
    items.push({ kind: 'document', collection: 'contacts', key: this.key(contact), document: contact, location });
    return items;
  }

  /** FN; else the N parts in reading order; else the organization, an e-mail, a phone number. */
  private displayName(): string | undefined {
    if (this.fullName) return this.fullName;
    const [family = '', given = '', additional = '', prefix = '', suffix = ''] = this.nameParts ?? [];
    const fromParts = [prefix, given, additional, family, suffix].filter(Boolean).join(' ');
    return fromParts || this.organization || this.emails[0]?.entry.address || this.phones[0]?.entry.number;
  }

  private labelled<T extends { types: string[] }>(list: Array<Grouped<T>>): T[] {
    return list.map(({ entry, group }) => {
      const label = group === undefined ? undefined : this.labels.get(group);
      if (label && !entry.types.includes(label)) entry.types = withPrefLast([...entry.types, label]);
      return entry;
    });
  }

  /** The UID when the source has one; otherwise stable across re-imports of the same card. */
  private key(contact: Contact): string {
    if (contact.uid) return contact.uid;
    const first = contact.phones[0]?.number ?? contact.emails[0]?.address ?? '';
    return `sha256:${createHash('sha256').update(`${contact.fullName}\n${first}`).digest('hex').slice(0, 32)}`;
  }
}

/** The decoded value; quoted-printable ones carry the CRLF of the phone that wrote them, Hearth keeps LF. */
function valueOf(property: Property): string {
  const value = decodedValue(property);
  return value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
}

function textOf(property: Property): string {
  return unescapeText(valueOf(property)).trim();
}

function componentsOf(property: Property): string[] {
  return splitUnescaped(valueOf(property), ';').map((part) => unescapeText(part).trim());
}

/**
 * TYPE values lower-cased, from `TYPE=CELL,VOICE`, `TYPE=cell;TYPE=voice`, 2.1's bare `CELL`,
 * and 4.0's `PREF=1`. `pref` goes last so that every spelling of a preferred number reads the same.
 */
function typesOf(property: Property): string[] {
  const types: string[] = [];
  let preferred = paramUpper(property, 'PREF') !== undefined;
  // RFC 6350 itself quotes lists: `TYPE="voice,home"`.
  for (const value of property.params.get('TYPE') ?? []) {
    for (const part of value.includes(',') ? value.split(',') : [value]) {
      const type = part.trim().toLowerCase().slice(0, 40);
      if (type === 'pref') preferred = true;
      else if (type && !types.includes(type)) types.push(type);
    }
  }
  if (preferred) types.push('pref');
  return types;
}

function withPrefLast(types: string[]): string[] {
  return types.includes('pref') ? [...types.filter((type) => type !== 'pref'), 'pref'] : types;
}
