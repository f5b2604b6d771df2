import { Document, parseDocument } from "yaml";
import { StateFormatError } from "./AutoScalerSerDeModule.ts";

/*
 * The ConfigMap the operator keeps the autoscaler's state in (ConfigMapStore,
 * flink-kubernetes-operator, release-1.15.0, autoscaler/state/ConfigMapStore.java):
 * named `autoscaler-<resource name>` in the resource's namespace, labelled
 * `component: autoscaler` and `app: <resource name>` (Flink's kubernetes Constants
 * LABEL_COMPONENT_KEY, LABEL_APP_KEY), owned by the FlinkDeployment
 * (`addOwnerReference(cr)`), its state under `data`.
 */

export const LABEL_COMPONENT_AUTOSCALER = "autoscaler";

/** The resource the ConfigMap belongs to. */
export interface AutoscalerResource {
  readonly namespace: string;
  readonly name: string;
  /** The FlinkDeployment's metadata.uid, for the owner reference; without it none is written. */
  readonly uid?: string;
  readonly apiVersion?: string;
  readonly kind?: string;
}

/** getAutoscalerCmLabels. */
export function getAutoscalerCmLabels(name: string): Record<string, string> {
  return { app: name, component: LABEL_COMPONENT_AUTOSCALER };
}

export function configMapName(name: string): string {
  return `autoscaler-${name}`;
}

/**
 * The ConfigMap manifest as `kubectl get configmap autoscaler-<name> -o yaml` prints
 * what the operator created: keys in alphabetical order (the API server's JSON, turned
 * into YAML by kubectl), multi-line values as literal blocks. The fields the API server
 * adds (uid, resourceVersion, creationTimestamp) are not invented.
 */
export function configMapManifest(resource: AutoscalerResource, data: ReadonlyMap<string, string>): string {
  const metadata: Record<string, unknown> = {
    labels: getAutoscalerCmLabels(resource.name),
    name: configMapName(resource.name),
    namespace: resource.namespace,
  };
  if (resource.uid !== undefined) {
    metadata["ownerReferences"] = [
      { apiVersion: resource.apiVersion ?? "flink.apache.org/v1beta1", kind: resource.kind ?? "FlinkDeployment", name: resource.name, uid: resource.uid },
    ];
  }
  const sortedData: Record<string, string> = {};
  for (const k of [...data.keys()].sort()) sortedData[k] = data.get(k)!;
  const doc = new Document({ apiVersion: "v1", data: sortedData, kind: "ConfigMap", metadata });
  return doc.toString({ lineWidth: 0, blockQuote: "literal" });
}

/** A ConfigMap read back: its name, namespace, labels and data. */
export interface ConfigMapContent {
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly data: Map<string, string>;
}

/** Reads a ConfigMap manifest (YAML or JSON, as kubectl prints it). */
export function readConfigMapManifest(text: string): ConfigMapContent {
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new StateFormatError("(document)", `is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  const root: unknown = doc.toJS();
  if (typeof root !== "object" || root === null || Array.isArray(root)) throw new StateFormatError("(document)", "is not a Kubernetes object (expected a mapping)");
  const obj = root as Record<string, unknown>;
  if (obj["kind"] === "List" && Array.isArray(obj["items"])) {
    const items = obj["items"] as unknown[];
    if (items.length !== 1) throw new StateFormatError("items", `a List of ${items.length} objects: give one ConfigMap`);
    return readConfigMapManifest(JSON.stringify(items[0]));
  }
  if (obj["kind"] !== "ConfigMap") throw new StateFormatError("kind", `is ${JSON.stringify(obj["kind"] ?? null)}, not ConfigMap`);
  const metadata = (obj["metadata"] ?? {}) as Record<string, unknown>;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries((metadata["labels"] ?? {}) as Record<string, unknown>)) labels[k] = String(v);
  const data = new Map<string, string>();
  const rawData = obj["data"] ?? {};
  if (typeof rawData !== "object" || rawData === null || Array.isArray(rawData)) throw new StateFormatError("data", "is not a mapping of strings");
  for (const [k, v] of Object.entries(rawData as Record<string, unknown>)) {
    if (typeof v !== "string") throw new StateFormatError(`data.${k}`, `is not a string (got ${typeof v})`);
    data.set(k, v);
  }
  return {
    name: typeof metadata["name"] === "string" ? metadata["name"] : undefined,
    namespace: typeof metadata["namespace"] === "string" ? metadata["namespace"] : undefined,
    labels,
    data,
  };
}
