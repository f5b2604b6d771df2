/** Where sim/build.mjs puts the command line's CommonJS bundle and the code caches, relative to dist/cli.mjs. */
export const CLI_BUNDLE = "./chunks/cli-main.cjs";
export const CODE_CACHE_DIR = "./code-cache/";
