/** Build-time constants injected by esbuild (scripts/build.mjs); dev fallbacks otherwise. */
declare const __KM_VERSION__: string | undefined;
declare const __KM_COMMIT__: string | undefined;

export const VERSION: string = typeof __KM_VERSION__ !== 'undefined' ? __KM_VERSION__ : '0.1.0-dev';
export const COMMIT: string = typeof __KM_COMMIT__ !== 'undefined' ? __KM_COMMIT__ : 'unknown';
