import type { FileConnector } from '../types.ts';
import { parseVcards } from './parse.ts';

export { contactsToVcard } from './export.ts';

export const vcardConnector: FileConnector = {
  manifest: {
    id: 'vcard',
    name: 'vCard contacts',
    description: 'Address books exported by Google, Apple, Outlook and phones: vCard 2.1, 3.0 and 4.0.',
    formats: { extensions: ['.vcf', '.vcard'], mediaTypes: ['text/vcard', 'text/x-vcard'] },
    collections: ['contacts'],
  },
  parse: parseVcards,
};
