/**
 * The report's thread (src/node/reportThread.ts starts it): loads vega and vega-lite as
 * soon as it starts, while the command line's run goes on in the main thread, then draws
 * the reports of the folder it is sent and sends the pages back (the main thread writes them).
 */
import { parentPort } from "node:worker_threads";
import { preloadChartLibraries } from "../report/renderSvg.ts";
import { ReportInputError } from "../report/runFiles.ts";
import { drawReports } from "./folderReports.ts";

/** What the main thread sends: the folder to draw the reports of. */
export interface ReportRequest {
  readonly dir: string;
}

/** What comes back: the reports drawn, as folderReports' drawReports returns them, or why not. */
export type ReportReply = { readonly ok: true; readonly drawn: [string, string][] } | { readonly ok: false; readonly message: string; readonly inputError: boolean };

const port = parentPort;
if (port !== null) {
  port.on("message", (request: ReportRequest) => {
    drawReports(request.dir).then(
      (drawn) => port.postMessage({ ok: true, drawn } satisfies ReportReply),
      (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e), inputError: e instanceof ReportInputError } satisfies ReportReply),
    );
  });
  preloadChartLibraries();
}
