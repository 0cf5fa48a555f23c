import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { alreadySent, badRequest, forbidden, hasScope, notFound, route, type Route } from '../http/index.ts';
import { COLLECTION_NAMES, isCollectionName, type DocumentStore } from '../store/index.ts';
import { z } from 'zod';
import { EXPORT_FORMATS, exportCollection, exportFile, formatsFor } from './formats.ts';
import { tarEnd, tarEntry, tarHeader, tarPadding } from './tar.ts';

interface ExportDependencies {
  store: DocumentStore;
  dataDir: string;
  version: string;
  deviceName: () => string;
  timezone: () => string;
}

export function exportRoutes({ store, dataDir, version, deviceName, timezone }: ExportDependencies): Route[] {
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
        // Each file is written to the data partition first (tar needs its size up front); the
        // archive then streams, so memory stays flat whatever the size of the account.
        const scratch = path.join(dataDir, 'tmp');
        await mkdir(scratch, { recursive: true, mode: 0o700 });
        const dir = await mkdtemp(path.join(scratch, 'export-'));
        const now = new Date();
        const stamp = now.toISOString().slice(0, 10);
        res.writeHead(200, {
          'Content-Type': 'application/x-tar',
          'Content-Disposition': `attachment; filename="hearth-${deviceName()}-${stamp}.tar"`,
          'Cache-Control': 'no-store',
        });
        try {
          const manifest = {
            exportedAt: now.toISOString(),
            hearthVersion: version,
            device: deviceName(),
            collections: COLLECTION_NAMES.map((name) => ({ name, count: store.count(name), files: formatsFor(name).map((format) => `${name}.${exportFile(format).extension}`) })),
          };
          const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
          res.write(tarHeader('manifest.json', manifestBytes.length, now));
          res.write(manifestBytes);
          res.write(tarPadding(manifestBytes.length));
          for (const collection of COLLECTION_NAMES) {
            for (const format of formatsFor(collection)) {
              const name = `${collection}.${exportFile(format).extension}`;
              const file = path.join(dir, name);
              await pipeline(Readable.from(exportCollection(store, collection, format, timezone())), createWriteStream(file, { mode: 0o600 }));
              for await (const chunk of tarEntry(name, file, now)) {
                if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
              }
              await rm(file);
            }
          }
          res.end(tarEnd());
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
        return alreadySent();
      },
    }),
  ];
}
