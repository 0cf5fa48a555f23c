import type { z } from 'zod';
import type { FileConnector } from '../../formats/index.ts';
import { collections, COLLECTION_NAMES, scalarFields, type CollectionName, type FieldKind } from '../../store/index.ts';

/** What the nodes' edit dialogs offer: the collections, with what each dialog needs of them. */
export interface CollectionEntry {
  name: CollectionName;
  title: string;
}

export interface ConnectorEntry {
  id: string;
  name: string;
  description: string;
  collections: string[];
}

interface ZodDefinition {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

const definitionOf = (schema: z.ZodType) => (schema as unknown as { def: ZodDefinition }).def;

function unwrap(schema: z.ZodType): z.ZodType {
  const def = definitionOf(schema);
  return def.type === 'optional' || def.type === 'default' || def.type === 'nullable' ? unwrap(def.innerType!) : schema;
}

/**
 * Dotted paths to the strings of a document, one level into arrays: `fullName`, `phones.number`,
 * `emails.address`, `groups`. These are what `hearth lookup` can match on.
 */
export function keyPaths(collection: CollectionName): string[] {
  const paths: string[] = [];
  const shape = definitionOf(collections[collection].schema).shape ?? {};
  for (const [name, field] of Object.entries(shape)) {
    const def = definitionOf(unwrap(field));
    if (def.type === 'string' || def.type === 'enum' || def.type === 'union') paths.push(name);
    if (def.type !== 'array') continue;
    const element = definitionOf(unwrap(def.element!));
    if (element.type === 'string') paths.push(name);
    for (const [inner, innerField] of Object.entries(element.shape ?? {})) {
      if (definitionOf(unwrap(innerField)).type === 'string') paths.push(`${name}.${inner}`);
    }
  }
  return ['id', ...paths];
}

export const collectionCatalogue = (): CollectionEntry[] => COLLECTION_NAMES.map((name) => ({ name, title: collections[name].title }));

/** For queries: the fields each collection may be filtered and sorted by, with their kind. */
export const queryCatalogue = (): Array<CollectionEntry & { fields: Array<{ name: string; kind: FieldKind }> }> =>
  collectionCatalogue().map((entry) => ({ ...entry, fields: [...scalarFields(entry.name)].map(([name, kind]) => ({ name, kind })) }));

/** For writes: the fields each collection's documents have. */
export const writeCatalogue = (): Array<CollectionEntry & { fields: string[] }> =>
  collectionCatalogue().map((entry) => ({ ...entry, fields: Object.keys(definitionOf(collections[entry.name].schema).shape ?? {}) }));

/** For lookups: the keys each collection may be matched on. */
export const lookupCatalogue = (): Array<CollectionEntry & { keys: string[] }> => collectionCatalogue().map((entry) => ({ ...entry, keys: keyPaths(entry.name) }));

export function connectorCatalogue(connectors: ReadonlyMap<string, FileConnector>): ConnectorEntry[] {
  return [...connectors.values()].map(({ manifest }) => ({
    id: manifest.id,
    name: manifest.name,
    description: manifest.description,
    collections: manifest.collections,
  }));
}
