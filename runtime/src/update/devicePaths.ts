/** Where RAUC and the kernel keep what hearthd reads on the device (the image's overlay puts RAUC's there). */
export const DEVICE_RAUC_PATHS = { systemConf: '/etc/rauc/system.conf', cmdline: '/proc/cmdline', command: 'rauc' };

/** The CAs that may sign bundles, and so the update feed's index. */
export const DEVICE_RAUC_KEYRING = '/etc/rauc/keyring.pem';
