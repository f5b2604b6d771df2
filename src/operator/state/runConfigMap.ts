import type { FlinkOperator } from "../FlinkOperator.ts";
import { encodeAutoscalerConfigMap, type AutoscalerState } from "./autoscalerConfigMap.ts";

/** The autoscaler's state the simulated operator holds now, part by part, as its ConfigMap would. */
export function operatorAutoscalerState(operator: Pick<FlinkOperator, "stateStore" | "resource">): AutoscalerState {
  return operator.stateStore.snapshot(operator.resource.jobKey);
}

/**
 * configmap.yaml for a finished run: the ConfigMap `autoscaler-<name>` as operator 1.15.0
 * would hold it at the end of the run (`run.operator` of runScenario's result). `uid`,
 * when known, adds the owner reference to the FlinkDeployment.
 */
export function configMapYamlOfRun(operator: Pick<FlinkOperator, "stateStore" | "resource">, options: { readonly uid?: string; readonly maxBytes?: number } = {}): string {
  const { namespace, name } = operator.resource;
  return encodeAutoscalerConfigMap(
    operatorAutoscalerState(operator),
    { namespace, name, ...(options.uid !== undefined ? { uid: options.uid } : {}) },
    options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {},
  );
}
