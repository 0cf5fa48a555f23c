import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { alreadySent, badRequest, forbidden, hasScope, json, notFound, route, type Principal, type Route } from '../http/index.ts';
import type { DocumentStore, SettingsStore } from '../store/index.ts';
import type { Importer, ImportReport } from './importer.ts';
import type { ConnectorManifest, FileConnector, ParseContext } from '../formats/types.ts';
import { importOptionsText } from './options.ts';
import { readUpload } from './upload.ts';

/**
 * A connector that pulls from a server the owner configured (CardDAV, CalDAV) instead of reading
 * an uploaded file: it reads the request itself (the account, or nothing to sync the saved one).
 */
export interface AccountConnector {
  manifest: ConnectorManifest;
  importFrom(req: IncomingMessage, principal: Principal): Promise<ImportReport>;
}

/** A connector in GET /api/v1/connectors. */
export interface ConnectorView extends ConnectorManifest {
  /** `file`: reads an uploaded file; `account`: pulls from a server the owner configured (CardDAV, CalDAV). */
  kind: 'file' | 'account';
  /** The last options that imported something with this connector (e.g. a column mapping). */
  rememberedOptions: Record<string, unknown> | null;
}

/** GET /api/v1/connectors */
export interface ConnectorList {
  connectors: ConnectorView[];
}

interface ImportRouteDependencies {
  importer: Importer;
  settings: SettingsStore;
  connectors: ReadonlyMap<string, FileConnector>;
  accountConnectors: ReadonlyMap<string, AccountConnector>;
  /** The device's region and time zone, read at each import (setup may change them). */
  locale: () => Pick<ParseContext, 'defaultRegion' | 'timezone'>;
}

const rememberedKey = (id: string) => `imports.${id}.options`;

const importQuery = z.strictObject({
  connector: z.string().min(1).max(100).describe('The connector id: GET /api/v1/connectors lists them (vcard, ical, ofx, camt053, calls-csv, energy-csv…).'),
  options: importOptionsText.optional().describe('The connector’s options as a JSON object, e.g. {"preset":"fr"}; a multipart form may send them as its “options” field instead.'),
});

/** The form's options field, read by the same schema as the query's. */
function formOptions(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const parsed = importOptionsText.safeParse(text);
  if (!parsed.success) throw badRequest('invalid_options', `options: ${parsed.error.issues[0]!.message}`, 'options');
  return parsed.data;
}

/** The connector of that id, once the caller is known to be allowed to write what it writes. */
function connectorFor<C extends { manifest: ConnectorManifest }>(id: string, connectors: ReadonlyMap<string, C>, principal: Principal): C | undefined {
  const connector = connectors.get(id);
  if (!connector) return undefined;
  const denied = connector.manifest.collections.filter((collection) => !hasScope(principal, `${collection}:write`));
  if (denied.length > 0) throw forbidden('insufficient_scope', `Importing with ${connector.manifest.id} needs write access to ${denied.join(', ')}.`);
  return connector;
}

/** With `Accept: application/x-ndjson`, progress lines stream while the import runs, then the report. */
function wantsProgress(accept: string | undefined): boolean {
  return (accept ?? '').includes('application/x-ndjson');
}

function startProgress(res: ServerResponse) {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  return {
    progress: (value: unknown) => res.write(`${JSON.stringify({ progress: value })}\n`),
    finish: (report: ImportReport) => res.end(`${JSON.stringify({ report })}\n`),
  };
}

export function importRoutes({ importer, settings, connectors, accountConnectors, locale }: ImportRouteDependencies): Route[] {
  return [
    route({
      method: 'GET',
      path: '/api/v1/connectors',
      access: 'authenticated',
      handle: () =>
        json(200, {
          connectors: [
            ...[...connectors.values()].map((connector): ConnectorView => ({
              ...connector.manifest,
              kind: 'file',
              rememberedOptions: settings.get<Record<string, unknown>>(rememberedKey(connector.manifest.id)) ?? null,
            })),
            ...[...accountConnectors.values()].map((connector): ConnectorView => ({ ...connector.manifest, kind: 'account', rememberedOptions: null })),
          ],
        } satisfies ConnectorList),
    }),
    route({
      method: 'POST',
      path: '/api/v1/imports',
      access: 'authenticated',
      query: importQuery,
      async handle({ req, res, query, principal }) {
        const account = connectorFor(query.connector, accountConnectors, principal!);
        if (account) return json(200, await account.importFrom(req, principal!));
        const connector = connectorFor(query.connector, connectors, principal!);
        if (!connector) throw notFound(`There is no connector “${query.connector}”; GET /api/v1/connectors lists them.`);
        const upload = await readUpload(req);
        const options = formOptions(upload.fields.options) ?? query.options;
        const stream = wantsProgress(req.headers.accept) ? startProgress(res) : undefined;
        const report = await importer.run({
          connector,
          input: upload.file,
          context: { ...locale(), options: options ?? {} },
          ...(stream ? { onProgress: stream.progress } : {}),
        });
        if (options && report.created + report.updated + report.unchanged > 0) settings.set(rememberedKey(connector.manifest.id), options);
        if ((await upload.finish()).includes('options')) {
          report.notes.push({ code: 'options_after_file', message: 'The form’s “options” field came after the file, so the import ran without it: send it before the file (curl -F options=… -F file=@…).' });
        }
        if (stream) {
          stream.finish(report);
          return alreadySent();
        }
        return json(200, report);
      },
    }),
  ];
}
