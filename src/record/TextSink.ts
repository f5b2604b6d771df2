/** Where an output file's text goes as a run produces it. */
export interface TextSink {
  write(text: string): void;
  /** No more text: flush and release what the sink holds. */
  end(): void;
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
