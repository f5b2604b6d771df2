import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * The MD5 of a string's UTF-8 bytes, 32 lowercase hex digits, in Node and the browser alike
 * (node:crypto's createHash("md5") gives the same; the browser's SubtleCrypto has no MD5).
 * Ids only: job and vertex ids are 32-hex like Flink's, stable across runs.
 */
export function md5Hex(text: string): string {
  return bytesToHex(md5(utf8ToBytes(text)));
}
