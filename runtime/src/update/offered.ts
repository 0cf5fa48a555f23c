import type { UpdateFeed } from './feed.ts';
import type { UpdateFiles } from './files.ts';
import type { UpdateProgress, UpdateService } from './service.ts';

/**
 * A version the feed offers, installed the way an uploaded bundle is: downloaded to
 * incoming.raucb (size and SHA-256 checked against the signed index), then inspected and
 * installed. The caller holds the service's install slot (`begin()`).
 */
export async function installOffered(
  { service, feed, files }: { service: UpdateService; feed: UpdateFeed; files: UpdateFiles },
  version: string,
  onProgress: (progress: UpdateProgress) => void,
): Promise<{ to: string }> {
  const offered = feed.view().available.find((entry) => entry.version === version);
  service.ensureRoom(offered?.size ?? 0);
  await feed.download(version, files.incoming);
  return service.installBundle(files.incoming, { allowDowngrade: false }, onProgress);
}
