// Names of collections and connectors in the UI language. The server names them in English;
// an id it adds later still shows, with the server's own words.
import { getLanguage } from './i18n.ts';
import type { Connector, Language } from './types.ts';

type Words = Record<Language, string>;

export const COLLECTION_TITLES: Record<string, Words> = {
  contacts: { en: 'Contacts', fr: 'Contacts' },
  'calendar.events': { en: 'Calendar events', fr: 'Événements d’agenda' },
  calls: { en: 'Call log', fr: 'Journal d’appels' },
  'bank.accounts': { en: 'Bank accounts', fr: 'Comptes bancaires' },
  'bank.transactions': { en: 'Bank transactions', fr: 'Opérations bancaires' },
  bills: { en: 'Bills', fr: 'Factures' },
  'energy.readings': { en: 'Energy readings', fr: 'Relevés d’énergie' },
  'calls.named': { en: 'Named call log', fr: 'Journal d’appels nommé' },
  'spending.monthly': { en: 'Monthly spending', fr: 'Dépenses mensuelles' },
  'bills.payments': { en: 'Bill payments', fr: 'Paiements des factures' },
};

const CONNECTORS: Record<string, { name: Words; description: Words }> = {
  vcard: {
    name: { en: 'Contacts (vCard)', fr: 'Contacts (vCard)' },
    description: {
      en: 'An address book exported from Google, Apple, Outlook or a phone (.vcf).',
      fr: 'Un carnet d’adresses exporté de Google, Apple, Outlook ou d’un téléphone (.vcf).',
    },
  },
  ical: {
    name: { en: 'Calendar (iCalendar)', fr: 'Agenda (iCalendar)' },
    description: { en: 'Events exported from a calendar app (.ics).', fr: 'Des événements exportés d’une application d’agenda (.ics).' },
  },
  ofx: {
    name: { en: 'Bank statement (OFX, QFX)', fr: 'Relevé bancaire (OFX, QFX)' },
    description: {
      en: 'Accounts and transactions downloaded from your bank’s website (.ofx, .qfx).',
      fr: 'Comptes et opérations téléchargés sur le site de votre banque (.ofx, .qfx).',
    },
  },
  camt053: {
    name: { en: 'Bank statement (CAMT.053)', fr: 'Relevé bancaire (CAMT.053)' },
    description: { en: 'An ISO 20022 bank statement (.xml).', fr: 'Un relevé bancaire ISO 20022 (.xml).' },
  },
  'calls-csv': {
    name: { en: 'Phone bill (CSV)', fr: 'Facture de téléphone (CSV)' },
    description: {
      en: 'The list of calls from your operator’s website: date, number, duration, cost. If Hearth cannot tell the columns apart, you choose them.',
      fr: 'La liste des appels du site de votre opérateur : date, numéro, durée, coût. Si Hearth ne reconnaît pas les colonnes, vous les choisissez.',
    },
  },
  'energy-csv': {
    name: { en: 'Energy readings (CSV)', fr: 'Relevés d’énergie (CSV)' },
    description: {
      en: 'Meter readings from your energy supplier: time, kWh or W, interval.',
      fr: 'Les relevés de compteur de votre fournisseur d’énergie : heure, kWh ou W, intervalle.',
    },
  },
  'green-button': {
    name: { en: 'Energy usage (Green Button)', fr: 'Consommation d’énergie (Green Button)' },
    description: { en: 'A Green Button (ESPI) usage file (.xml).', fr: 'Un fichier de consommation Green Button (ESPI) (.xml).' },
  },
};

export function collectionTitle(name: string, fallback = name): string {
  return COLLECTION_TITLES[name]?.[getLanguage()] ?? fallback;
}

export function connectorName(connector: Pick<Connector, 'id' | 'name'>): string {
  return CONNECTORS[connector.id]?.name[getLanguage()] ?? connector.name;
}

export function connectorDescription(connector: Pick<Connector, 'id' | 'description'>): string {
  return CONNECTORS[connector.id]?.description[getLanguage()] ?? connector.description;
}
