import { randomBytes } from 'node:crypto';
import type { SecretBox, SettingsStore } from '../store/index.ts';

const KEY = 'flows.credentialSecret';

/**
 * The key Node-RED encrypts flow credentials with (a broker password in an MQTT node, an API
 * key in an HTTP request): random per device, made on first use and kept sealed by the device's
 * secret box, so neither flows_cred.json nor the database alone reveals the credentials.
 */
export function flowCredentialSecret(settings: SettingsStore, secrets: SecretBox): string {
  const sealed = settings.get<string>(KEY);
  if (sealed !== undefined) return secrets.open(sealed);
  const secret = randomBytes(32).toString('base64url');
  settings.set(KEY, secrets.seal(secret));
  return secret;
}
