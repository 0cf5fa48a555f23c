import type { Logger } from '../config/index.ts';
import type { HealthSampler } from '../health/index.ts';
import type { DocumentStore, SecretBox, SettingsStore } from '../store/index.ts';
import { startBroker, type Broker, type TokenCheck } from './broker.ts';
import { connectExternalBroker, type ExternalBrokerSettings } from './external.ts';
import { startFeedPublisher } from './feed.ts';
import { DEFAULT_MAX_PACKET_BYTES } from './packetSize.ts';
import { RETAINED_PER_TOKEN } from './retained.ts';
import { healthTopic } from './topics.ts';

export const EXTERNAL_BROKER_SETTING = 'mqtt.external';
const LIMITS_SETTING = 'mqtt.limits';

/** The embedded broker's bounds; an external broker keeps its own. */
export interface BrokerLimits {
  maxPacketBytes: number;
  retainedPerToken: { messages: number; bytes: number };
}

/** As stored: the password sealed. */
interface StoredExternalBroker {
  url: string;
  username?: string;
  sealedPassword?: string;
}

export interface MqttOptions {
  host: string;
  port: number;
  tlsPort: number;
  credentials: () => { cert: string; key: string };
  checkToken: TokenCheck;
  store: DocumentStore;
  health: HealthSampler;
  settings: SettingsStore;
  secrets: SecretBox;
  deviceName: () => string;
  logger: Logger;
}

export interface MqttService {
  /** The embedded broker's ports, or undefined while an external broker replaces it. */
  ports(): { port: number; tlsPort: number } | undefined;
  external(): { url: string; username?: string } | undefined;
  /** Switches between the embedded broker and the owner's own (or back, with undefined). */
  setExternal(settings: ExternalBrokerSettings | undefined): Promise<void>;
  updateCredentials(credentials: { cert: string; key: string }): void;
  limits(): BrokerLimits;
  /** Applies to the next packet of every connection. */
  setMaxPacketBytes(bytes: number): void;
  /** Hearth's own events (backups) to whichever broker is in use. */
  publish(topic: string, payload: string): void;
  stop(): Promise<void>;
}

/** Changes and health samples go to MQTT: the embedded broker, or the owner's own when set. */
export async function startMqtt(options: MqttOptions): Promise<MqttService> {
  let broker: Broker | undefined;
  let outbound: { publish(topic: string, payload: string): void; close(): Promise<void> } | undefined;
  let feed: { stop(): void } | undefined;

  const stored = () => options.settings.get<StoredExternalBroker>(EXTERNAL_BROKER_SETTING);
  // Kept in memory: the broker reads it at every packet header.
  let maxPacketBytes = options.settings.get<{ maxPacketBytes: number }>(LIMITS_SETTING)?.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const publish = (topic: string, payload: string) => (outbound ?? broker)?.publish(topic, payload);

  async function start(): Promise<void> {
    const external = stored();
    if (external) {
      outbound = connectExternalBroker(
        { url: external.url, ...(external.username ? { username: external.username } : {}), ...(external.sealedPassword ? { password: options.secrets.open(external.sealedPassword) } : {}) },
        `hearth-${options.deviceName()}`,
        options.logger,
      );
    } else {
      broker = await startBroker({ host: options.host, port: options.port, tlsPort: options.tlsPort, credentials: options.credentials(), checkToken: options.checkToken, maxPacketBytes: () => maxPacketBytes, logger: options.logger });
    }
    feed = startFeedPublisher({ store: options.store, publish, deviceName: options.deviceName, logger: options.logger });
  }

  async function stop(): Promise<void> {
    feed?.stop();
    await broker?.close();
    await outbound?.close();
    broker = undefined;
    outbound = undefined;
  }

  options.health.onSample((snapshot) => publish(healthTopic(options.deviceName()), JSON.stringify(snapshot)));
  await start();

  return {
    ports: () => broker && { port: broker.port, tlsPort: broker.tlsPort },
    external() {
      const current = stored();
      return current && { url: current.url, ...(current.username ? { username: current.username } : {}) };
    },
    async setExternal(settings) {
      await stop();
      if (settings) {
        options.settings.set(EXTERNAL_BROKER_SETTING, {
          url: settings.url,
          ...(settings.username ? { username: settings.username } : {}),
          ...(settings.password ? { sealedPassword: options.secrets.seal(settings.password) } : {}),
        } satisfies StoredExternalBroker);
      } else {
        options.settings.delete(EXTERNAL_BROKER_SETTING);
      }
      await start();
    },
    updateCredentials: (credentials) => broker?.updateCredentials(credentials),
    limits: () => ({ maxPacketBytes, retainedPerToken: RETAINED_PER_TOKEN }),
    setMaxPacketBytes(bytes) {
      options.settings.set(LIMITS_SETTING, { maxPacketBytes: bytes });
      maxPacketBytes = bytes;
    },
    publish,
    stop,
  };
}
