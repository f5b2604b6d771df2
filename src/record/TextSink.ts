import { closeSync, openSync, writeSync } from "node:fs";

/** Where an output file's text goes as a run produces it. */
export interface TextSink {
  write(text: string): void;
  /** No more text: flush and release what the sink holds. */
  end(): void;
}

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

/** A file kept in memory (tests and the library read it as a string). */
export class StringSink implements TextSink {
  private readonly parts: string[] = [];
  private joined: string | null = null;

  write(text: string): void {
    this.parts.push(text);
    this.joined = null;
  }

  end(): void {}

  text(): string {
    if (this.joined === null) {
      this.joined = this.parts.join("");
      this.parts.length = 0;
      this.parts.push(this.joined);
    }
    return this.joined;
  }
}

/** Output nobody reads (replications beyond the first: only their summary is kept). */
export class NullSink implements TextSink {
  write(): void {}
  end(): void {}
}
