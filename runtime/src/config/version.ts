import manifest from '../../../package.json' with { type: 'json' };

/** Set by `make build` from HEARTH_VERSION_SUFFIX (runtime/build.ts): test bundles of one commit. */
declare const HEARTH_VERSION_SUFFIX: string | undefined;
const suffix = typeof HEARTH_VERSION_SUFFIX === 'string' && HEARTH_VERSION_SUFFIX !== '' ? `+${HEARTH_VERSION_SUFFIX}` : '';

/**
 * One number for the daemon, the UI and the image: the package's, with the build's suffix as
 * semver build metadata (0.1.0+update.1), which orders like 0.1.0. esbuild inlines both.
 */
export const VERSION: string = `${manifest.version}${suffix}`;
