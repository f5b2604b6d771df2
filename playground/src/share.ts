/**
 * The share link: `#scenario=<base64url of the gzipped YAML>&seed=N&variant=NAME&run=1`
 * (also `duration=`, `preset=`). gzip by fflate (the same format as `gzip` and Node's
 * zlib, so a link can be made by a script), base64url without padding (RFC 4648 §5).
 */
import { gunzipSync, gzipSync, strFromU8, strToU8 } from "fflate";

export interface ShareState {
  readonly scenario: string;
  /** The preset's path under scenarios/ (names the file), or a file name for a pasted scenario. */
  readonly file?: string;
  readonly seed?: number;
  readonly variant?: string;
  readonly duration?: string;
  readonly run?: boolean;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The hash for a state (without the leading #). mtime 0: the same scenario gives the same link. */
export function encodeShare(state: ShareState): string {
  const params = new URLSearchParams();
  params.set("scenario", toBase64Url(gzipSync(strToU8(state.scenario), { level: 9, mtime: 0 })));
  if (state.file !== undefined) params.set("file", state.file);
  if (state.seed !== undefined) params.set("seed", String(state.seed));
  if (state.variant !== undefined) params.set("variant", state.variant);
  if (state.duration !== undefined) params.set("duration", state.duration);
  if (state.run === true) params.set("run", "1");
  return params.toString();
}

/** A hash's state, or undefined when it carries no scenario; throws with a one-line message when it cannot be read. */
export function decodeShare(hash: string): ShareState | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const packed = params.get("scenario");
  if (packed === null || packed === "") return undefined;
  let scenario: string;
  try {
    scenario = strFromU8(gunzipSync(fromBase64Url(packed)));
  } catch (e) {
    throw new Error(`the link's scenario cannot be read (expected base64url of gzipped YAML): ${(e as Error).message}`);
  }
  const seedText = params.get("seed");
  let seed: number | undefined;
  if (seedText !== null && seedText !== "") {
    seed = Number(seedText);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`the link's seed must be a whole number from 0, got '${seedText}'`);
  }
  const opt = (name: string) => {
    const v = params.get(name);
    return v === null || v === "" ? undefined : v;
  };
  return { scenario, file: opt("file"), seed, variant: opt("variant"), duration: opt("duration"), run: params.get("run") === "1" };
}
