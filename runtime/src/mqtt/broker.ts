import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client } from 'aedes';
import type { Logger } from '../config/index.ts';
import { TLS_POLICY } from '../tls/policy.ts';
import { limitPacketSize } from './packetSize.ts';
import { createRetainedLedger, RETAINED_PER_TOKEN } from './retained.ts';
import { clientMayPublish, scopeForTopic } from './topics.ts';

export interface TokenCheck {
  /** The token's scopes while it is live, undefined once revoked or expired. */
  (token: string): readonly string[] | undefined;
}

export interface BrokerOptions {
  host: string;
  /** Plain MQTT, bound to loopback only: for programs on the device itself. */
  port: number;
  /** MQTT over TLS with the device certificate, on the LAN. */
  tlsPort: number;
  credentials: { cert: string; key: string };
  checkToken: TokenCheck;
  /** Read as each packet's header arrives, so the owner's change applies at once. */
  maxPacketBytes: () => number;
  logger: Logger;
}

export interface Broker {
  port: number;
  tlsPort: number;
  publish(topic: string, payload: string): void;
  updateCredentials(credentials: { cert: string; key: string }): void;
  close(): Promise<void>;
}

const REVALIDATE_MS = 30_000;

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * The embedded broker. Clients sign in with a Hearth API token as the password (any user name);
 * a message on a Hearth topic reaches a client only if its token's scopes allow that topic, so a
 * wildcard subscription sees exactly what the token may read.
 */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const tokens = new Map<Client, string>();
  const scopesOf = (client: Client) => {
    const token = tokens.get(client);
    return token === undefined ? undefined : options.checkToken(token);
  };
  // A client id belongs to the token that first used it: another token taking it over would
  // disconnect its client (MQTT's rule for a second connection) and inherit its session. Kept
  // while a client uses it, and after for a persistent (clean: false) session, whose queued
  // messages are the id's.
  const idHolders = new Map<string, string>();
  const retained = createRetainedLedger(RETAINED_PER_TOKEN);
  const broker = await Aedes.createBroker({
    authenticate(client, _username, password, done) {
      const token = password?.toString('utf8') ?? '';
      if (!options.checkToken(token)) {
        const error = Object.assign(new Error('Use a Hearth API token as the password.'), { returnCode: 4 as const });
        done(error, false);
        return;
      }
      const holder = idHolders.get(client.id);
      if (holder !== undefined && holder !== token) {
        options.logger.debug('mqtt client id taken by another token', { clientId: client.id });
        done(Object.assign(new Error('This client id belongs to another token.'), { returnCode: 2 as const }), false);
        return;
      }
      idHolders.set(client.id, token);
      tokens.set(client, token);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      if (client && !clientMayPublish(packet.topic)) {
        done(new Error(`only Hearth publishes under ${packet.topic.split('/')[0]}/`));
        return;
      }
      // A token revoked since the client connected publishes nothing more: the error closes it.
      if (client && scopesOf(client) === undefined) {
        done(new Error('this connection\'s token was revoked or has expired'));
        return;
      }
      // MQTT 3.1.1 has no way to refuse one publish but closing the connection, as here.
      if (client && packet.retain && !retained.admit(tokens.get(client)!, packet.topic, packet.payload.length)) {
        options.logger.debug('mqtt retained quota reached', { clientId: client.id });
        done(new Error(`a token keeps at most ${RETAINED_PER_TOKEN.messages} retained messages of ${RETAINED_PER_TOKEN.bytes / 1024} KiB in all`));
        return;
      }
      done(null);
    },
    // A filter naming one Hearth topic the token may not read is refused (SUBACK 128), so the
    // client knows; a wildcard may span topics it can read, and forwarding filters what it gets.
    // $SYS filters are checked whole: a wildcard under $SYS reaches only $SYS topics.
    authorizeSubscribe(client, subscription, done) {
      const checked = subscription.topic.startsWith('$') || !/[+#]/.test(subscription.topic);
      const scope = checked ? scopeForTopic(subscription.topic) : undefined;
      const scopes = scopesOf(client);
      done(null, scope === undefined || (scope !== null && scopes?.includes(scope)) ? subscription : null);
    },
    authorizeForward(client, packet) {
      const scope = scopeForTopic(packet.topic);
      if (scope === undefined) return packet;
      return scope !== null && scopesOf(client)?.includes(scope) ? packet : null;
    },
  });
  broker.on('clientDisconnect', (client) => {
    tokens.delete(client);
    const sameIdStillConnected = [...tokens.keys()].some((other) => other.id === client.id);
    if (client.clean && !sameIdStillConnected) idHolders.delete(client.id);
  });

  // A revoked or expired token must not keep a connection that outlived it, nor its client ids.
  const revalidate = setInterval(() => {
    for (const [client, token] of tokens) {
      if (!options.checkToken(token)) {
        tokens.delete(client);
        client.close();
      }
    }
    for (const [id, token] of idHolders) if (!options.checkToken(token)) idHolders.delete(id);
  }, REVALIDATE_MS).unref();

  const handle = (socket: net.Socket) =>
    broker.handle(
      limitPacketSize(socket, options.maxPacketBytes, (size) => options.logger.debug('mqtt packet over the size limit', { size, limit: options.maxPacketBytes() })),
    );
  const plain = net.createServer(handle);
  const secure = tls.createServer({ ...options.credentials, ...TLS_POLICY }, handle);
  const port = await listen(plain, options.port, '127.0.0.1');
  const tlsPort = await listen(secure, options.tlsPort, options.host);
  options.logger.debug('mqtt broker listening', { port, tlsPort });

  return {
    port,
    tlsPort,
    publish(topic, payload) {
      broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false }, (error) => {
        if (error) options.logger.warn('mqtt publish failed', { topic, error: error.message });
      });
    },
    updateCredentials: (credentials) => secure.setSecureContext({ ...credentials, ...TLS_POLICY }),
    async close() {
      clearInterval(revalidate);
      await Promise.all([
        new Promise<void>((resolve) => plain.close(() => resolve())),
        new Promise<void>((resolve) => secure.close(() => resolve())),
        new Promise<void>((resolve) => broker.close(() => resolve())),
      ]);
    },
  };
}
