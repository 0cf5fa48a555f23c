import mqtt from 'mqtt';
import type { Logger } from '../config/index.ts';

export interface ExternalBrokerSettings {
  url: string;
  username?: string;
  password?: string;
}

/**
 * The owner's own broker (Home Assistant's, say) in place of the embedded one. Only used once the
 * owner has set its URL: hearthd makes no outbound connection on its own.
 */
export function connectExternalBroker(settings: ExternalBrokerSettings, clientId: string, logger: Logger) {
  const client = mqtt.connect(settings.url, {
    clientId,
    ...(settings.username ? { username: settings.username } : {}),
    ...(settings.password ? { password: settings.password } : {}),
    reconnectPeriod: 10_000,
  });
  // The URL may carry credentials: log the host only.
  client.on('error', (error) => logger.warn('external MQTT broker', { host: new URL(settings.url).host, error: error.message }));
  return {
    publish(topic: string, payload: string) {
      client.publish(topic, payload, { qos: 0 });
    },
    close: () => client.endAsync().then(() => undefined),
  };
}
