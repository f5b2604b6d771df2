import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { RunFile, RunOutput } from "../run/runScenario.ts";
import type { TextSink } from "../record/TextSink.ts";

/**
 * A file written as the run goes: text is encoded straight into a 64 KiB buffer, written
 * with one synchronous write when full (the simulation is synchronous; an async stream
 * would hold everything in memory until the run yields). Memory stays flat however long
 * the run. Encoding each piece as it comes, rather than joining the pieces into one string
 * and writing that, spares a copy of every byte: the seed's day writes 34 MB of log.
 */
export class FileSink implements TextSink {
  private fd: number;
  private readonly buffer = Buffer.allocUnsafe(65_536);
  private length = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, "w");
  }

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.length + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  private flush(): void {
    if (this.length === 0) return;
    for (let at = 0; at < this.length; ) at += writeSync(this.fd, this.buffer, at, this.length - at);
    this.length = 0;
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
