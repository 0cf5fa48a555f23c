import type { DeviceChange, DeviceRecord, DeviceTable } from '../store/index.ts';

export interface DeviceSettings {
  /** Undefined until setup is done. Cached: every request asks, only setup and the owner's changes change it. */
  current(): DeviceRecord | undefined;
  /** Call inside the setup transaction. */
  insert(device: DeviceRecord): void;
  /** After setup: a new name, time zone or language; what is not given stays. */
  update(change: DeviceChange): void;
}

export function createDeviceSettings(table: DeviceTable): DeviceSettings {
  let cached = table.get();
  let stale = false;
  return {
    current() {
      if (stale) {
        cached = table.get();
        stale = false;
      }
      return cached;
    },
    insert(device) {
      table.insert(device);
      // Re-read on next use rather than trust the argument: the transaction may still roll back.
      stale = true;
    },
    update(change) {
      table.update(change);
      stale = true;
    },
  };
}
