/** Why a hearthd without RAUC cannot update itself; the web UI says it in the owner's language. */
export const DEV_MODE_REASON = 'This hearthd runs without RAUC (development mode); updates are installed on the device image';
