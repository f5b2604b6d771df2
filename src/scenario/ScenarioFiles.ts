/**
 * How a scenario reaches the files it names (a load trace's CSV), relative to the
 * scenario file. The command line reads the disk (src/node/scenarioFiles.ts); the
 * browser has no disk and says so.
 */
export interface ScenarioFiles {
  /** The text of `name` beside `scenarioFile`, or why it cannot be read (one phrase, e.g. "looked for /a/b.csv"). */
  read(scenarioFile: string, name: string): { readonly text: string } | { readonly error: string };
}

export const NO_SCENARIO_FILES: ScenarioFiles = {
  read: () => ({ error: "no file system here: files named by a scenario can be read only from the command line" }),
};

/** A file's base name without its extension: `scenarios/seed.yaml` -> `seed`. */
export function scenarioName(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}
