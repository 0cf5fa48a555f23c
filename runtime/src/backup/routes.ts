import { alreadySent, badRequest, conflict, forbidden, hasScope, json, noContent, notFound, progressStream, route, type Route } from '../http/index.ts';
import type { CollectionName, DocumentStore } from '../store/index.ts';
import { startGuess, type RateLimiter } from '../auth/index.ts';
import type { BackupHistory, Backups, RunResult, TargetFailure } from './backups.ts';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tarEnd, tarEntry } from '../exports/index.ts';
import { receiveArchive, repositoryFiles } from './archive.ts';
import { restoreCollection } from './collectionRestore.ts';
import type { Drive } from './drives.ts';
import { backupHttpError, errorLine } from './errors.ts';
import { endsRecoveryKey, normaliseRecoveryKey } from './recoveryKey.ts';
import { ResticError } from './restic.ts';
import { stageRestore } from './restore.ts';
import { backupSettingsBody, keptKitBody, restoreBody, snapshotRestoreBody, snapshotsQueryBody, type RestoreInput } from './schema.ts';
import type { BackupSettingsView } from './settings.ts';
import type { SnapshotView } from './snapshots.ts';
import type { OpenTarget } from './targets.ts';
import { restoreWholeSnapshot } from './wholeRestore.ts';

/** PUT /api/v1/backups/settings: the first save also gives the recovery key, the only time it leaves the device. */
export interface SavedBackupSettings extends BackupSettingsView {
  recoveryKey?: string;
}

/** GET /api/v1/backups/status: `overdue` when backups are set up and none has been good for two days. */
export interface BackupStatusView {
  configured: boolean;
  running: boolean;
  overdue: boolean;
  last: RunResult | null;
  /** The last run that reached every target. */
  lastGood: RunResult | null;
  lastCheck: BackupHistory['lastCheck'];
}

/** GET /api/v1/backups/drives and, before setup, /api/v1/setup/restore/drives. */
export interface DriveList {
  drives: Drive[];
}

/** GET /api/v1/backups: the snapshots on every target that answered, and the targets that did not. */
export interface SnapshotList {
  snapshots: SnapshotView[];
  failures: TargetFailure[];
  last: RunResult | null;
}

/** GET /api/v1/setup/restore/ssh-key: the device's key, for the owner to authorize on the SFTP server to restore from. */
export interface SshPublicKey {
  publicKey: string;
}

/** POST /api/v1/setup/restore/snapshots: the target's Hearth snapshots, newest first. */
export interface RestorableSnapshots {
  snapshots: SnapshotView[];
}

interface BackupRouteDependencies {
  backups: Backups;
  /** Where a collection restored from a snapshot is written back. */
  store: DocumentStore;
  dataDir: string;
  deviceName: () => string;
  now: () => number;
  limiter: RateLimiter;
  /** Throws unless setup is pending and the setup code (if the device has one) is right. */
  checkSetupCode: (setupCode: string | undefined, client: string) => void;
  /**
   * Throws unless setup is pending. Enough for what the wizard shows before the owner has typed
   * the setup code, and which gives nothing away: the device's public SSH key, the drives plugged
   * into it. (It asked for the code, which the wizard cannot have yet: on a device with a setup
   * code the drive list was always refused; the image test found it.)
   */
  checkSetupPending: () => void;
  /** A restore (the wizard's, or a whole snapshot's) is ready: hearthd restarts on it once the answer is sent. */
  onRestored: () => void;
}

/** A key in the wrong shape is as wrong as a key that opens nothing, and says so before restic runs. */
function recoveryKeyOf(typed: string): string {
  const key = normaliseRecoveryKey(typed);
  if (!key) throw forbidden('wrong_recovery_key', 'That is not a recovery key: it has 30 letters and digits in six groups, as on the emergency kit.');
  return key;
}

/** The target as the restore's request gives it: its secrets are in the request, not yet sealed anywhere. */
function openTarget(target: RestoreInput['target'], uploadedArchive: string): OpenTarget {
  if (target.kind === 'archive') {
    if (!existsSync(uploadedArchive)) throw conflict('no_archive', 'Upload the archive first (POST /api/v1/setup/restore/archive).');
    return { kind: 'folder', path: uploadedArchive };
  }
  if (target.kind !== 's3') return target;
  if (!target.secretAccessKey) throw badRequest('invalid_request', 'target.secretAccessKey: Give the secret access key.', 'target.secretAccessKey');
  return { ...target, secretAccessKey: target.secretAccessKey };
}

export function backupRoutes(dependencies: BackupRouteDependencies): Route[] {
  const { backups, deviceName, now, limiter, checkSetupCode, checkSetupPending } = dependencies;

  /** Guessing recovery keys costs the guesser like guessing passphrases: restic's scrypt is slow on a Pi, too. */
  const guarded = async <T>(client: string, work: () => Promise<T>): Promise<T> => {
    const guess = startGuess([limiter, client]);
    try {
      const result = await work();
      guess.succeeded();
      return result;
    } catch (error) {
      if (error instanceof ResticError && error.code === 'wrong_recovery_key') guess.failed();
      else guess.withdrawn();
      throw backupHttpError(error);
    }
  };

  return [
    route({
      method: 'GET',
      path: '/api/v1/backups/settings',
      access: { scope: 'backups:read' },
      handle: () => json(200, backups.settings.view(deviceName())),
    }),
    route({
      method: 'PUT',
      path: '/api/v1/backups/settings',
      access: { scope: 'backups:write' },
      body: backupSettingsBody,
      handle({ body }) {
        const { recoveryKey } = backups.settings.save(body, now(), deviceName());
        backups.reschedule();
        return json(200, { ...backups.settings.view(deviceName()), ...(recoveryKey ? { recoveryKey } : {}) } satisfies SavedBackupSettings);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/backups/kit',
      access: { scope: 'backups:write' },
      body: keptKitBody,
      handle({ body }) {
        if (!backups.settings.current()) throw notFound('Backups are not set up yet.');
        if (!endsRecoveryKey(backups.settings.recoveryKey(), body.lastCharacters)) {
          throw badRequest('kit_check_failed', 'Those are not the last characters of the recovery key: look at the emergency kit again.', 'lastCharacters');
        }
        backups.settings.markKitKept(now());
        return noContent();
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/backups/status',
      access: { scope: 'backups:read' },
      handle() {
        const history = backups.history();
        return json(200, { configured: backups.settings.current() !== undefined, running: backups.running(), overdue: backups.overdue(), last: history.lastRun, lastGood: history.lastGood, lastCheck: history.lastCheck } satisfies BackupStatusView);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/backups/drives',
      access: { scope: 'backups:read' },
      handle: async () => json(200, { drives: await backups.drives.list() } satisfies DriveList),
    }),
    route({
      method: 'GET',
      path: '/api/v1/backups',
      access: { scope: 'backups:read' },
      async handle() {
        const listed = await backups.list();
        return json(200, { snapshots: listed.snapshots, failures: listed.failures, last: backups.history().lastRun } satisfies SnapshotList);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/backups',
      access: { scope: 'backups:write' },
      async handle({ res }) {
        const stream = progressStream(res);
        let result;
        try {
          result = await backups.run(
            (progress) => stream.line({ progress }),
            (snapshot) => stream.line({ snapshot }),
          );
        } catch (error) {
          if (!stream.started()) throw backupHttpError(error);
          stream.end(errorLine(error));
          return alreadySent();
        }
        const failure = result.failures[0];
        if (failure) stream.end({ error: { code: failure.code, message: `${failure.target}: ${failure.message}${failure.detail ? ` restic said: ${failure.detail}` : ''}`, target: failure.target } });
        else res.end();
        return alreadySent();
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/backups/check',
      access: { scope: 'backups:write' },
      async handle() {
        try {
          return json(200, await backups.check());
        } catch (error) {
          throw backupHttpError(error);
        }
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/backups/restore',
      access: { scope: 'backups:write' },
      body: snapshotRestoreBody,
      async handle({ body, principal, res }) {
        if (body.collection === undefined) {
          // Everything, the owner's passphrase and the tokens included, would be replaced.
          if (principal!.kind !== 'session') throw forbidden('owner_session_required', 'Only the owner, signed in, can restore a whole snapshot; a token can restore one collection.');
        } else if (!hasScope(principal!, `${body.collection}:write`)) {
          throw forbidden('insufficient_scope', `Restoring ${body.collection} needs write access to it too.`);
        }
        const stream = progressStream(res);
        try {
          if (body.collection === undefined) {
            const { ready, undo } = await restoreWholeSnapshot({ backups, dataDir: dependencies.dataDir, snapshot: body.snapshot, onProgress: (progress) => stream.line({ progress }) });
            // Once the owner has the answer: the swap needs everything that holds the data stopped.
            res.once('finish', dependencies.onRestored);
            stream.end({ restored: { snapshot: ready.snapshot, undo: undo.id } });
          } else {
            const restored = await restoreCollection({
              backups,
              store: dependencies.store,
              snapshot: body.snapshot,
              collection: body.collection as CollectionName,
              onProgress: (written, total) => stream.line({ progress: { written, total } }),
            });
            stream.end({ restored });
          }
        } catch (error) {
          if (!stream.started()) throw backupHttpError(error);
          stream.end(errorLine(error));
        }
        return alreadySent();
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/backups/archive',
      access: { scope: 'backups:read' },
      async handle({ res }) {
        let folder: string;
        try {
          folder = await backups.archive();
        } catch (error) {
          throw backupHttpError(error);
        }
        const now = new Date(dependencies.now());
        res.writeHead(200, {
          'Content-Type': 'application/x-tar',
          'Content-Disposition': `attachment; filename="hearth-${deviceName()}-${now.toISOString().slice(0, 10)}.restic.tar"`,
          'Cache-Control': 'no-store',
        });
        try {
          for (const name of repositoryFiles(folder)) {
            for await (const chunk of tarEntry(name, path.join(folder, name), now)) {
              if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
            }
          }
        } finally {
          // Before the answer ends: nothing of it is left once the owner has it.
          rmSync(folder, { recursive: true, force: true });
        }
        res.end(tarEnd());
        return alreadySent();
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/setup/restore/archive',
      access: 'public',
      async handle({ req, client }) {
        const code = req.headers['hearth-setup-code'];
        checkSetupCode(typeof code === 'string' ? code : undefined, client);
        const files = await backups.exclusive(() => receiveArchive(req as AsyncIterable<Buffer>, backups.paths.archive));
        return json(200, { files });
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/setup/restore/ssh-key',
      access: 'public',
      handle() {
        checkSetupPending();
        return json(200, { publicKey: backups.settings.sshPublicKey(deviceName()) } satisfies SshPublicKey);
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/setup/restore/drives',
      access: 'public',
      async handle() {
        checkSetupPending();
        return json(200, { drives: await backups.drives.list() } satisfies DriveList);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/setup/restore/snapshots',
      access: 'public',
      body: snapshotsQueryBody,
      async handle({ body, client }) {
        checkSetupCode(body.setupCode, client);
        const key = recoveryKeyOf(body.recoveryKey);
        const snapshots = await guarded(client, () => backups.exclusive(() => backups.repository(openTarget(body.target, backups.paths.archive), key).snapshots()));
        return json(200, { snapshots } satisfies RestorableSnapshots);
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/setup/restore',
      access: 'public',
      body: restoreBody,
      async handle({ body, client, res }) {
        checkSetupCode(body.setupCode, client);
        const key = recoveryKeyOf(body.recoveryKey);
        const repository = backups.repository(openTarget(body.target, backups.paths.archive), key);
        const stream = progressStream(res);
        try {
          await backups.exclusive(async () => {
            const snapshots = await guarded(client, () => repository.snapshots());
            const snapshot = body.snapshot === null ? snapshots[0] : snapshots.find((candidate) => candidate.id.startsWith(body.snapshot!));
            if (!snapshot) throw notFound(body.snapshot === null ? 'This target holds no Hearth backup yet.' : `There is no snapshot ${body.snapshot} on this target.`);
            stream.line({ progress: { phase: 'opening', snapshot } });
            const ready = await stageRestore({ repository, snapshot, dataDir: dependencies.dataDir, keepSignIn: false, onProgress: (progress) => stream.line({ progress }) });
            // Once the owner has the answer: the swap needs everything that holds the data stopped.
            res.once('finish', dependencies.onRestored);
            stream.end({ restored: { snapshot: ready.snapshot, target: ready.target, device: ready.manifest.device, time: ready.manifest.time, counts: ready.manifest.counts } });
          });
        } catch (error) {
          if (!stream.started()) throw backupHttpError(error);
          stream.end(errorLine(error));
        }
        return alreadySent();
      },
    }),
  ];
}
