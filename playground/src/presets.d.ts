/** The scenarios of scenarios/, embedded by playground/build.mjs. */
declare module "virtual:presets" {
  export const PRESETS: readonly { readonly path: string; readonly text: string }[];
}
