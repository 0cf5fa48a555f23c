import { z } from 'zod';
import { json, route, type Route } from '../http/index.ts';
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

/**
 * The owner's flow editor settings. Node-RED reads them when it starts, so a change applies at
 * hearthd's next start: the answer says whether the running editor still uses the old ones.
 */
export function flowSettingsRoutes(settings: SettingsStore, running: () => FlowPreferences | undefined): Route[] {
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
      handle({ body }) {
        settings.set(KEY, { ...readFlowPreferences(settings), ...body });
        return json(200, view());
      },
    }),
  ];
}
