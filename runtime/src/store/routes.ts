import { badRequest, forbidden, hasScope, json, noContent, notFound, readJsonBody, route, type Principal, type Route } from '../http/index.ts';
import { collections, COLLECTION_NAMES, isCollectionName, type CollectionName } from './collections.ts';
import type { Database } from './database.ts';
import { CLIENT_ID_PATTERN } from './documentId.ts';
import type { DocumentStore, StoredDocument } from './documents.ts';
import { z } from 'zod';
import { listQuery, parseListParameters } from './listParameters.ts';
import { listDocuments } from './query.ts';

/**
 * A document is read whole, as JSON: a contact with its photo (the schema takes up to 2 MB of
 * base64) must fit, or a contact imported with one could not be edited.
 */
const MAX_DOCUMENT_BODY_BYTES = 3 * 1024 * 1024;

/** One document as the collections API sends it; `T` is its collection's shape (collections.ts). */
export interface DocumentView<T = Record<string, unknown>> {
  id: string;
  collection: CollectionName;
  source: string;
  created: string;
  updated: string;
  data: T;
}

/** GET /api/v1/collections/:name: `next` is the cursor of the following page, absent on the last. */
export interface DocumentPage<T = Record<string, unknown>> {
  items: Array<DocumentView<T>>;
  next?: string;
}

/** A collection of the owner's data in GET /api/v1/collections, with how many documents it holds. */
export interface CollectionSummary {
  name: CollectionName;
  title: string;
  count: number;
  /** What GET /api/v1/export/:name gives it as (vcf, ics, csv, json), the standard format first. */
  exportFormats: string[];
}

/** GET /api/v1/collections: the collections the caller may read. */
export interface CollectionList {
  collections: CollectionSummary[];
}

export const documentView = (document: StoredDocument): DocumentView => ({
  id: document.id,
  collection: document.collection,
  source: document.source,
  created: document.created,
  updated: document.updated,
  data: document.data,
});

function collectionFor(name: string | undefined, principal: Principal | undefined, access: 'read' | 'write'): CollectionName {
  if (name === undefined || !isCollectionName(name)) throw notFound(`There is no collection “${name}”; GET /api/v1/collections lists them.`);
  if (!principal || !hasScope(principal, `${name}:${access}`)) {
    throw forbidden('insufficient_scope', `This token may not ${access} ${name}.`);
  }
  return name;
}

function documentIdFrom(id: string | undefined): string {
  if (id === undefined || !CLIENT_ID_PATTERN.test(id)) {
    throw badRequest('invalid_id', 'A document id is 1–128 letters, digits, and . _ ~ - (not . or ..).', 'id');
  }
  return id;
}

const sequence = { error: 'a change sequence number (0 for all).' };
const changesLimit = { error: 'a whole number from 1 to 5000.' };
const changesQuery = z.strictObject({
  since: z.coerce.number(sequence).int(sequence).min(0, sequence).max(Number.MAX_SAFE_INTEGER, sequence).default(0).describe('The last sequence number already seen.'),
  limit: z.coerce.number(changesLimit).int(changesLimit).min(1, changesLimit).max(5000, changesLimit).default(500),
});

/** `exportFormats` names the formats GET /api/v1/export/:name gives a collection in, its standard one first (exports/). */
export function collectionRoutes(db: Database, store: DocumentStore, exportFormats: (collection: CollectionName) => string[]): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/collections',
      access: 'authenticated',
      handle: ({ principal }) =>
        json(200, {
          collections: COLLECTION_NAMES.filter((name) => hasScope(principal!, `${name}:read`)).map((name) => ({
            name,
            title: collections[name].title,
            count: store.count(name),
            exportFormats: exportFormats(name),
          })),
        } satisfies CollectionList),
    }),
    route({
      method: 'GET',
      path: '/api/v1/collections/:name',
      access: 'authenticated',
      query: listQuery,
      handle({ params, principal, query }) {
        const collection = collectionFor(params.name, principal, 'read');
        const page = listDocuments(db, collection, parseListParameters(collection, query));
        return json(200, { items: page.items.map(documentView), ...(page.next ? { next: page.next } : {}) } satisfies DocumentPage);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/collections/:name/:id',
      access: 'authenticated',
      handle({ params, principal }) {
        const collection = collectionFor(params.name, principal, 'read');
        const document = store.get(collection, documentIdFrom(params.id));
        if (!document) throw notFound(`There is no document “${params.id}” in ${collection}.`);
        return json(200, documentView(document));
      },
    }),
    route({
      method: 'PUT',
      path: '/api/v1/collections/:name/:id',
      access: 'authenticated',
      async handle({ params, principal, req }) {
        const collection = collectionFor(params.name, principal, 'write');
        const id = documentIdFrom(params.id);
        const data = (await readJsonBody(req, collections[collection].schema, MAX_DOCUMENT_BODY_BYTES)) as Record<string, unknown>;
        const [outcome] = store.writeBatch('api', [{ collection, id, data }]);
        return json(outcome === 'created' ? 201 : 200, documentView(store.get(collection, id)!));
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/collections/:name/:id',
      access: 'authenticated',
      handle({ params, principal }) {
        const collection = collectionFor(params.name, principal, 'write');
        if (!store.delete(collection, documentIdFrom(params.id))) throw notFound(`There is no document “${params.id}” in ${collection}.`);
        return noContent();
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/changes',
      access: 'authenticated',
      query: changesQuery,
      handle({ principal, query: { since, limit } }) {
        const { changes, last } = store.changesSince(since, limit);
        // A token sees the changes of the collections it may read, and nothing of the others.
        return json(200, { changes: changes.filter((change) => hasScope(principal!, `${change.collection}:read`)), last });
      },
    }),
  ];
}
