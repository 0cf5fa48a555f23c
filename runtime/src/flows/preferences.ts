import { z } from 'zod';
import { badRequest, conflict, json, route, type Route } from '../http/index.ts';
import { passphrase, type ConfirmPassphrase, type RecordSecurityEvent } from '../auth/index.ts';
import type { SettingsStore } from '../store/index.ts';

const KEY = 'flows.preferences';

const flowPreferencesSchema = z.object({
  /** Installing nodes from npm in the palette manager (and modules in Function nodes). Off by default: it reaches the npm registry. */
  paletteInstall: z.boolean().default(false),
  /**
   * The exec, file, file in and watch nodes (systemNodes.ts). Off by default: a flow with them
   * can run any command and read any file hearthd can, its keys included. (A default, so that
   * preferences saved before it existed still read.)
   */
  systemNodes: z.boolean().default(false),
});

export type FlowPreferences = z.infer<typeof flowPreferencesSchema>;

/** GET and PUT /api/v1/settings/flows: `restartRequired` while the running editor still uses other settings. */
export interface FlowSettingsView extends FlowPreferences {
  restartRequired: boolean;
  /**
   * The flows run as a user of their own (the device's hearth-flows.service): commands and files
   * reach the flows' own folder, not Hearth's keys or data. In development they run as hearthd's.
   */
  ownUser: boolean;
}

const DEFAULTS: FlowPreferences = { paletteInstall: false, systemNodes: false };

export function readFlowPreferences(settings: SettingsStore): FlowPreferences {
  const stored = flowPreferencesSchema.safeParse(settings.get(KEY));
  return stored.success ? stored.data : DEFAULTS;
}

/**
 * A change names only what it changes; the rest stays as stored. Turning commands and files on
 * takes the passphrase too, as adding a second factor does: a stolen session cookie must not
 * open the device's keys to a flow of its own.
 */
const flowPreferencesChange = z.strictObject({ paletteInstall: z.boolean().optional(), systemNodes: z.boolean().optional(), passphrase: passphrase.optional() });

export type FlowSettingsChange = z.input<typeof flowPreferencesChange>;

interface FlowSettingsDependencies {
  settings: SettingsStore;
  /** The preferences the running editor started with; undefined until it runs. */
  running: () => FlowPreferences | undefined;
  /** Starts hearthd again in its process, so that Node-RED reads the settings. */
  restart: () => void;
  /** Letting flows run commands is a change to what can reach the device's keys: the security log says who. */
  log: RecordSecurityEvent;
  confirmPassphrase: ConfirmPassphrase;
  ownUser: boolean;
}

/**
 * The owner's flow editor settings. Node-RED reads them when it starts, so a change applies at
 * hearthd's next start: the answer says whether the running editor still uses the old ones, and
 * `POST …/restart` starts hearthd again now (in its process, on the same ports).
 */
export function flowSettingsRoutes({ settings, running, restart, log, confirmPassphrase, ownUser }: FlowSettingsDependencies): Route[] {
  const view = (): FlowSettingsView => {
    const stored = readFlowPreferences(settings);
    const active = running();
    return { ...stored, restartRequired: active !== undefined && (active.paletteInstall !== stored.paletteInstall || active.systemNodes !== stored.systemNodes), ownUser };
  };
  return [
    route({ method: 'GET', path: '/api/v1/settings/flows', access: 'owner', handle: () => json(200, view()) }),
    route({
      method: 'PUT',
      path: '/api/v1/settings/flows',
      access: 'owner',
      body: flowPreferencesChange,
      async handle({ body, client }) {
        const { passphrase: given, ...change } = body;
        const before = readFlowPreferences(settings);
        if (change.systemNodes === true && !before.systemNodes) {
          if (given === undefined) throw badRequest('passphrase_required', 'passphrase: Letting flows run commands and use files takes your passphrase.', 'passphrase');
          await confirmPassphrase(given, client);
        }
        settings.set(KEY, { ...before, ...change });
        if (change.systemNodes !== undefined && change.systemNodes !== before.systemNodes) log({ kind: change.systemNodes ? 'flow_commands_on' : 'flow_commands_off', client });
        return json(200, view());
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/settings/flows/restart',
      access: 'owner',
      handle({ res }) {
        if (!view().restartRequired) throw conflict('no_restart_required', 'The flow editor runs with these settings already.');
        // Once the owner has the answer: the new start stops everything first, this request too.
        res.once('finish', restart);
        return json(202, { restarting: true });
      },
    }),
  ];
}
