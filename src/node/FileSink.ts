import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RunFile, RunOutput } from "../run/runScenario.ts";
import type { TextSink } from "../record/TextSink.ts";

/**
 * A file written as the run goes: text gathers into chunks of about 64 KiB, each written
 * with one synchronous write (the simulation is synchronous; an async stream would hold
 * everything in memory until the run yields). Memory stays flat however long the run.
 */
export class FileSink implements TextSink {
  private fd: number;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 65_536) this.flush();
  }

  private flush(): void {
    if (this.pendingLength === 0) return;
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.pendingLength = 0;
  }

  end(): void {
    if (this.fd < 0) return;
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
}

/** A run's output written into `dir` as the run goes (the folder must exist). */
export function folderOutput(dir: string): RunOutput {
  return { kind: "sinks", open: (file: RunFile) => new FileSink(join(dir, file)) };
}
