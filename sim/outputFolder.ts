import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Why a folder to be written cannot be, or undefined when it can: the nearest part of its path that exists must be a writable folder. */
export function unusableOutput(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(at)) {
      if (!statSync(at).isDirectory()) return `${at} is a file, not a folder`;
      try {
        accessSync(at, constants.W_OK);
      } catch {
        return `${at} is not writable`;
      }
      return undefined;
    }
    if (dirname(at) === at) return undefined;
  }
}
