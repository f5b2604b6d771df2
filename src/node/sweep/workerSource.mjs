// The sweep's worker when the simulator runs from its TypeScript sources (vitest, tsx):
// a worker thread does not inherit the parent's loader, so it compiles worker.ts itself.
import { tsImport } from "tsx/esm/api";

const worker = await tsImport("./worker.ts", import.meta.url);
export default worker.default;
