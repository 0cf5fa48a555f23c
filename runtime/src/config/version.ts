import manifest from '../../../package.json' with { type: 'json' };

/** Set by `make build` from HEARTH_VERSION and HEARTH_VERSION_SUFFIX (runtime/build.ts): test bundles of one commit. */
declare const HEARTH_BASE_VERSION: string | undefined;
declare const HEARTH_VERSION_SUFFIX: string | undefined;
const base = typeof HEARTH_BASE_VERSION === 'string' && HEARTH_BASE_VERSION !== '' ? HEARTH_BASE_VERSION : manifest.version;
const suffix = typeof HEARTH_VERSION_SUFFIX === 'string' && HEARTH_VERSION_SUFFIX !== '' ? `+${HEARTH_VERSION_SUFFIX}` : '';

/**
 * One number for the daemon, the UI and the image: the package's (or the build's HEARTH_VERSION),
 * with the build's suffix as semver build metadata (0.1.0+update.1), which orders like 0.1.0.
 * esbuild inlines them.
 */
export const VERSION: string = `${base}${suffix}`;
