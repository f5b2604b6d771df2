/** The run report's section of per-subtask heat maps (subtaskHeatmap.ts), when the run wrote subtasks.csv. */
import type { TimeAxis } from "./charts.ts";
import { paragraph, type Section } from "./page.ts";
import { renderChartFigure } from "./renderSvg.ts";
import { subtaskHeatmapChart, type SubtaskGrids } from "./subtaskHeatmap.ts";

export async function subtaskSection(data: SubtaskGrids, axis: TimeAxis): Promise<Section> {
  const blocks: string[] = [
    paragraph(
      "Each subtask's busy time over the run (subtasks.csv): a row much brighter than the others is a subtask that gets more of the input, a hot key behind a keyed (HASH) edge or a skewed partition. " +
        (data.samplesPerSpan > 1
          ? `To stay within the page's size, each cell is the mean of about ${data.samplesPerSpan} samples; subtasks.csv holds every one.`
          : "Each cell is one sample."),
    ),
  ];
  const drawn = data.grids.filter((g) => g.rowsWithBusy > 0);
  for (const g of drawn) blocks.push(await renderChartFigure(`subtasks ${g.vertex}`, subtaskHeatmapChart(g, axis)));
  const skipped = data.grids.filter((g) => g.rowsWithBusy === 0).map((g) => g.vertex);
  if (skipped.length > 0) blocks.push(paragraph(`Not drawn: ${skipped.join(", ")} (Flink reports no busy time for it: a legacy source).`, "note"));
  return { id: "subtasks", heading: "Busy time per subtask", blocks };
}
