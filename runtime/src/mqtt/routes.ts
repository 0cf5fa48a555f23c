import { z } from 'zod';
import { json, route, type Route } from '../http/index.ts';
import type { MqttService } from './service.ts';

const externalBrokerBody = z.strictObject({
  url: z
    .url({ protocol: /^(mqtts?|wss?)$/, error: 'Give the broker as mqtt://, mqtts://, ws:// or wss:// followed by its host.' })
    .max(500)
    .nullable(),
  username: z.string().max(200).optional(),
  password: z.string().max(500).optional(),
});

/** PUT /api/v1/settings/mqtt: the owner's broker, or null for the built-in one. */
export type MqttChange = z.input<typeof externalBrokerBody>;

const limitsBody = z.strictObject({
  maxPacketBytes: z
    .number()
    .int()
    .min(1024, 'Allow at least 1024 bytes: MQTT clients send their token in the first packet.')
    .max(16 * 1024 * 1024, 'At most 16 MiB: the broker holds a whole packet in memory, and a Pi Zero has 512 MB.'),
});

/** GET and PUT /api/v1/settings/mqtt: the built-in broker's ports while it runs, or the owner's broker (never its password). */
export interface MqttView {
  embedded: { port: number; tlsPort: number } | null;
  external: { url: string; username?: string } | null;
}

function view(mqtt: MqttService): MqttView {
  return { embedded: mqtt.ports() ?? null, external: mqtt.external() ?? null };
}

export function mqttRoutes(mqtt: MqttService): Route[] {
  return [
    route({ method: 'GET', path: '/api/v1/settings/mqtt', access: 'owner', handle: () => json(200, view(mqtt)) }),
    route({
      method: 'PUT',
      path: '/api/v1/settings/mqtt',
      access: 'owner',
      body: externalBrokerBody,
      async handle({ body }) {
        await mqtt.setExternal(
          body.url === null
            ? undefined
            : { url: body.url, ...(body.username ? { username: body.username } : {}), ...(body.password ? { password: body.password } : {}) },
        );
        return json(200, view(mqtt));
      },
    }),
    route({ method: 'GET', path: '/api/v1/settings/mqtt/limits', access: 'owner', handle: () => json(200, mqtt.limits()) }),
    route({
      method: 'PUT',
      path: '/api/v1/settings/mqtt/limits',
      access: 'owner',
      body: limitsBody,
      handle({ body }) {
        mqtt.setMaxPacketBytes(body.maxPacketBytes);
        return json(200, mqtt.limits());
      },
    }),
  ];
}
