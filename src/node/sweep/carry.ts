import { existsSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";

/** A sweep's folder (sweep/) or a shard's (sweep-shard-I-of-N/) inside a scenario's output folder. */
export const SWEEP_FOLDER = /^sweep(-shard-\d+-of-\d+)?$/;

/**
 * Moves the sweep folders of the scenario folder `dir` into `stage`, which is about to
 * replace it whole: a single run replaces its variants and comparison, not the sweeps
 * beside them. A rename, so it is cheap, and a sweep renaming its folder into place at the
 * same moment is the only writer that could lose (its folder then goes with the old one).
 */
export function carrySweeps(dir: string, stage: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (!SWEEP_FOLDER.test(name) || existsSync(join(stage, name))) continue;
    try {
      renameSync(join(dir, name), join(stage, name));
    } catch (e) {
      // Moved or removed by another process meanwhile: nothing to carry.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
}
