// The report's thread when the simulator runs from its TypeScript sources (vitest, tsx):
// a worker thread does not inherit the parent's loader, so it compiles reportWorker.ts itself.
import { tsImport } from "tsx/esm/api";

await tsImport("./reportWorker.ts", import.meta.url);
