import type { JobAutoScalerContext } from "../JobAutoScalerContext.ts";
import type { ConfigChanges } from "../state/AutoScalerStateStore.ts";

/** Applies the autoscaler's decisions to the job (ScalingRealizer). */
export interface ScalingRealizer<KEY, Context extends JobAutoScalerContext<KEY>> {
  realizeParallelismOverrides(context: Context, parallelismOverrides: Map<string, string>): void;
  realizeConfigOverrides(context: Context, configChanges: ConfigChanges): void;
}
