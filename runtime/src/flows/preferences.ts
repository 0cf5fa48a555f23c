import { z } from 'zod';
import { conflict, json, route, type Route } from '../http/index.ts';
import type { RecordSecurityEvent } from '../auth/index.ts';
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

const DEFAULTS: FlowPreferences = { paletteInstall: false, systemNodes: false };

export function readFlowPreferences(settings: SettingsStore): FlowPreferences {
  const stored = flowPreferencesSchema.safeParse(settings.get(KEY));
  return stored.success ? stored.data : DEFAULTS;
}

/** A change names only what it changes; the rest stays as stored. */
const flowPreferencesChange = z.strictObject({ paletteInstall: z.boolean().optional(), systemNodes: z.boolean().optional() });

interface FlowSettingsDependencies {
  settings: SettingsStore;
  /** The preferences the running editor started with; undefined until it runs. */
  running: () => FlowPreferences | undefined;
  /** Starts hearthd again in its process, so that Node-RED reads the settings. */
  restart: () => void;
  /** Letting flows run commands is a change to what can reach the device's keys: the security log says who. */
  log: RecordSecurityEvent;
}

/**
 * The owner's flow editor settings. Node-RED reads them when it starts, so a change applies at
 * hearthd's next start: the answer says whether the running editor still uses the old ones, and
 * `POST …/restart` starts hearthd again now (in its process, on the same ports).
 */
export function flowSettingsRoutes({ settings, running, restart, log }: FlowSettingsDependencies): Route[] {
  const view = () => {
    const stored = readFlowPreferences(settings);
    const active = running();
    return { ...stored, restartRequired: active !== undefined && (active.paletteInstall !== stored.paletteInstall || active.systemNodes !== stored.systemNodes) };
  };
  return [
    route({ method: 'GET', path: '/api/v1/settings/flows', access: 'owner', handle: () => json(200, view()) }),
    route({
      method: 'PUT',
      path: '/api/v1/settings/flows',
      access: 'owner',
      body: flowPreferencesChange,
      handle({ body, client }) {
        const before = readFlowPreferences(settings);
        settings.set(KEY, { ...before, ...body });
        if (body.systemNodes !== undefined && body.systemNodes !== before.systemNodes) log({ kind: body.systemNodes ? 'flow_commands_on' : 'flow_commands_off', client });
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
