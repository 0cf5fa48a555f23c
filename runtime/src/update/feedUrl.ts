// runtime/build.ts defines it from HEARTH_UPDATE_FEED when it bundles hearthd for the image.
declare const HEARTH_BUILT_IN_FEED: string | undefined;

/** The update feed this build of Hearth asks, once the owner opts in; empty: no feed. */
export const BUILT_IN_FEED_URL: string = typeof HEARTH_BUILT_IN_FEED === 'string' ? HEARTH_BUILT_IN_FEED : '';
