import manifest from '../../../package.json' with { type: 'json' };

/** One number for the daemon, the UI and the image: the package's. esbuild inlines it in the bundle. */
export const VERSION: string = manifest.version;
