import type { ServerResponse } from 'node:http';
import { alreadySent, json, route, type Reply, type Route } from '../http/index.ts';
import type { FeedView, UpdateFeed } from './feed.ts';
import type { UpdateFiles } from './files.ts';
import { installOffered } from './offered.ts';
import { receiveBundle } from './receive.ts';
import { feedInstallBody, feedSettingsBody, installQuery } from './schema.ts';
import type { UpdateProgress, UpdateService, UpdateStatusView } from './service.ts';

/** GET /api/v1/system/update and POST …/dismiss: the slots and the last update, with what the feed offers. */
export interface UpdateView extends UpdateStatusView {
  feed: FeedView;
}

/** One line of an install's NDJSON answer: progress while RAUC writes, then `rebooting` or what failed. */
export type InstallLine = Pick<UpdateProgress, 'stage' | 'percent' | 'message'> | { result: 'rebooting' } | { error: { code: string; message: string } };

/** POST /api/v1/system/update/check and PUT …/feed. */
export interface FeedAnswer {
  feed: FeedView;
}

interface UpdateRouteDependencies {
  service: UpdateService;
  feed: UpdateFeed;
  files: UpdateFiles;
}

type Install = (onProgress: (progress: UpdateProgress) => void) => Promise<unknown>;

/**
 * The install's promise frees the install slot as it settles (`.finally(release)` in the routes),
 * before the answer's last line goes out: a client that starts another install as soon as it reads
 * that line must not find the slot still taken.
 *
 * RAUC checks the bundle's payload inside `rauc install`, so the answer's status waits for it:
 * a refusal before RAUC writes a slot is a 4xx like any other, and only once it writes does the
 * answer become 200 with NDJSON progress lines, ending in `{"result":"rebooting"}` or an error.
 */
async function streamInstall(res: ServerResponse, install: Install): Promise<Reply> {
  let streaming = false;
  const line = (value: InstallLine) => res.write(`${JSON.stringify(value)}\n`);
  const start = () => {
    streaming = true;
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store' });
  };
  try {
    await install((progress) => {
      if (!streaming && progress.stage === 'checking') return;
      if (!streaming) start();
      if (progress.stage !== 'rebooting') line({ stage: progress.stage, percent: progress.percent, message: progress.message });
    });
  } catch (error) {
    if (!streaming) throw error;
    const { code, message } = error instanceof Error && 'code' in error && typeof error.code === 'string' ? { code: error.code, message: error.message } : { code: 'install_failed', message: 'The update failed while RAUC wrote it; the device keeps running this version.' };
    res.end(`${JSON.stringify({ error: { code, message } } satisfies InstallLine)}\n`);
    return alreadySent();
  }
  if (!streaming) start();
  res.end(`${JSON.stringify({ result: 'rebooting' } satisfies InstallLine)}\n`);
  return alreadySent();
}

/** The query through its route's schema, as bodies go through theirs; a bad one is a 400 naming the parameter. */
export function updateRoutes({ service, feed, files }: UpdateRouteDependencies): Route[] {
  const withFeed = async (): Promise<UpdateView> => ({ ...(await service.view()), feed: feed.view() });
  return [
    route({
      method: 'GET',
      path: '/api/v1/system/update',
      access: { scope: 'system:read' },
      handle: async () => json(200, await withFeed()),
    }),
    route({
      method: 'POST',
      path: '/api/v1/system/update',
      access: { scope: 'system:write' },
      query: installQuery,
      async handle({ req, res, query: { allowDowngrade } }) {
        const release = service.begin();
        try {
          const declared = Number(req.headers['content-length']);
          service.ensureRoom(Number.isFinite(declared) ? declared : 0);
          await receiveBundle(req, files.incoming);
          return await streamInstall(res, (onProgress) => service.installBundle(files.incoming, { allowDowngrade }, onProgress).finally(release));
        } finally {
          release();
        }
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/system/update/retry',
      access: { scope: 'system:write' },
      async handle({ res }) {
        const release = service.begin();
        try {
          return await streamInstall(res, (onProgress) => service.retry(onProgress).finally(release));
        } finally {
          release();
        }
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/system/update/install',
      access: { scope: 'system:write' },
      body: feedInstallBody,
      async handle({ res, body }) {
        const release = service.begin();
        try {
          return await streamInstall(res, (onProgress) => installOffered({ service, feed, files }, body.version, onProgress).finally(release));
        } finally {
          release();
        }
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/system/update/dismiss',
      access: { scope: 'system:write' },
      async handle() {
        service.dismiss();
        return json(200, await withFeed());
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/system/update/check',
      access: { scope: 'system:write' },
      handle: async () => json(200, { feed: await feed.check() } satisfies FeedAnswer),
    }),
    route({
      method: 'PUT',
      path: '/api/v1/system/update/feed',
      // Owner only: turning the feed on makes the device connect out, the owner's choice alone.
      access: 'owner',
      body: feedSettingsBody,
      handle: ({ body }) => json(200, { feed: feed.configure(body) } satisfies FeedAnswer),
    }),
  ];
}
