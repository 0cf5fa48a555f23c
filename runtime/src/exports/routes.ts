import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { alreadySent, badRequest, forbidden, hasScope, notFound, progressStream, route, type Route } from '../http/index.ts';
import { isCollectionName, type DocumentStore } from '../store/index.ts';
import { createArchives, type PreparedArchive } from './archive.ts';
import { EXPORT_FORMATS, exportCollection, exportFile, formatsFor } from './formats.ts';

/** The last line of POST /api/v1/export/archive: where to download the archive written, once. */
export interface ArchiveReady {
  archive: { id: string; name: string; size: number; url: string };
}

interface ExportDependencies {
  store: DocumentStore;
  dataDir: string;
  version: string;
  deviceName: () => string;
  timezone: () => string;
}

export function exportRoutes({ store, dataDir, version, deviceName, timezone }: ExportDependencies): Route[] {
  const archives = createArchives({ store, dataDir, version, deviceName, timezone });
  /** The archive with its exact size, so browsers show how far the download is. */
  async function send(archive: PreparedArchive, res: ServerResponse): Promise<void> {
    res.writeHead(200, {
      'Content-Type': 'application/x-tar',
      'Content-Length': archive.size,
      'Content-Disposition': `attachment; filename="${archive.name}"`,
      'Cache-Control': 'no-store',
    });
    await pipeline(Readable.from(archives.read(archive)), res);
  }

  return [
    route({
      method: 'GET',
      path: '/api/v1/export/:collection',
      access: 'authenticated',
      query: z.strictObject({ format: z.enum(EXPORT_FORMATS).optional().describe('vcf (contacts) or ics (calendar events), csv or json; the first of these the collection has by default.') }),
      async handle({ params, query, principal, res }) {
        const collection = params.collection!;
        if (!isCollectionName(collection)) throw notFound(`There is no collection “${collection}”.`);
        if (!hasScope(principal!, `${collection}:read`)) throw forbidden('insufficient_scope', `This token may not read ${collection}.`);
        const formats = formatsFor(collection);
        const format = query.format ?? formats[0]!;
        if (!formats.includes(format)) throw badRequest('invalid_format', `${collection} exports as ${formats.join(', ')}.`, 'format');
        const file = exportFile(format);
        res.writeHead(200, {
          'Content-Type': file.mediaType,
          'Content-Disposition': `attachment; filename="${collection}.${file.extension}"`,
          'Cache-Control': 'no-store',
        });
        await pipeline(Readable.from(exportCollection(store, collection, format, timezone())), res);
        return alreadySent();
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/export',
      access: 'owner',
      async handle({ res }) {
        await send(await archives.prepare(), res);
        return alreadySent();
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/export/archive',
      access: 'owner',
      async handle({ res }) {
        // Written out first, with progress, so the owner is told the size before downloading it.
        const stream = progressStream(res);
        try {
          const archive = await archives.prepare((progress) => stream.line({ progress }));
          stream.end({ archive: { id: archive.id, name: archive.name, size: archive.size, url: `/api/v1/export/archive/${archive.id}` } } satisfies ArchiveReady);
        } catch (error) {
          if (!stream.started()) throw error;
          stream.end({ error: { code: 'export_failed', message: error instanceof Error ? error.message : String(error) } });
        }
        return alreadySent();
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/export/archive/:id',
      access: 'owner',
      async handle({ params, res }) {
        const archive = archives.find(params.id!);
        if (!archive) throw notFound('This archive was downloaded already or has expired: prepare it again.');
        await send(archive, res);
        return alreadySent();
      },
    }),
  ];
}
