import type { Contact } from '../../store/collections.ts';
import { escapeText, foldLine, paramValue } from '../contentLine/index.ts';

/**
 * Contacts as vCard 4.0 (RFC 6350), one card per string, CRLF lines folded at 75 octets.
 * Everything the contacts collection holds is written, so that importing the file again gives
 * the same contacts: what goes in must come out.
 */
export async function* contactsToVcard(contacts: AsyncIterable<Contact> | Iterable<Contact>): AsyncGenerator<string> {
  for await (const contact of contacts) yield cardOf(contact);
}

function cardOf(contact: Contact): string {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', 'PRODID:-//Hearth//hearthd//EN'];
  if (contact.uid) lines.push(`UID:${escapeText(contact.uid)}`);
  lines.push(`FN:${escapeText(contact.fullName)}`);
  if (contact.familyName || contact.givenName) lines.push(`N:${escapeText(contact.familyName ?? '')};${escapeText(contact.givenName ?? '')};;;`);
  if (contact.organization) lines.push(`ORG:${escapeText(contact.organization)}`);
  if (contact.title) lines.push(`TITLE:${escapeText(contact.title)}`);
  // TEL keeps the number as the owner wrote it: 4.0 allows a text value, and a tel: URI would
  // replace `06 12 34 56 78` by its E.164 form.
  for (const phone of contact.phones) lines.push(`TEL${typeParams(phone.types)}:${escapeText(phone.number)}`);
  for (const email of contact.emails) lines.push(`EMAIL${typeParams(email.types)}:${escapeText(email.address)}`);
  for (const address of contact.addresses) {
    const parts = ['', '', address.street, address.locality, address.region, address.postalCode, address.country];
    lines.push(`ADR${typeParams(address.types)}:${parts.map((part) => escapeText(part ?? '')).join(';')}`);
  }
  if (contact.birthday) lines.push(`BDAY:${contact.birthday.replaceAll('-', '').replace(/^(?=\d{4}$)/, '--')}`);
  if (contact.note) lines.push(`NOTE:${escapeText(contact.note)}`);
  if (contact.groups.length > 0) lines.push(`CATEGORIES:${contact.groups.map(escapeText).join(',')}`);
  if (contact.photo) lines.push(`PHOTO:data:${contact.photo.mediaType};base64,${contact.photo.data}`);
  lines.push('END:VCARD');
  return lines.map(foldLine).join('');
}

/** `;TYPE=cell,voice;PREF=1`: 4.0 says "preferred" with PREF, not with a type. */
function typeParams(types: string[]): string {
  const plain = types.filter((type) => type !== 'pref');
  return (plain.length > 0 ? `;TYPE=${plain.map(paramValue).join(',')}` : '') + (types.includes('pref') ? ';PREF=1' : '');
}
