// The device's network name is one RFC 1123 label: it becomes <name>.local.
import type { MessageKey } from './i18n.ts';

export const DEFAULT_DEVICE_NAME = 'hearth';
export const DEVICE_NAME_MAX = 63;

/** What the owner typed, as the name will be used: trimmed and lower-cased. */
export function normalizeDeviceName(raw: string): string {
  return raw.trim().toLowerCase();
}

/** The problem with `name`, as a message key, or null if it is a valid label. */
export function deviceNameProblem(name: string): MessageKey | null {
  if (name.length === 0) return 'device.required';
  if (/[^a-z0-9-]/.test(name)) return 'device.chars';
  if (name.length > DEVICE_NAME_MAX) return 'device.tooLong';
  if (name.startsWith('-') || name.endsWith('-')) return 'device.hyphen';
  if (name === 'localhost') return 'device.reserved';
  return null;
}
