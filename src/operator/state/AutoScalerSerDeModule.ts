/**
 * Map keys of the autoscaler's state (AutoScalerSerDeModule, flink-autoscaler,
 * release-1.15.0, utils/AutoScalerSerDeModule.java): a JobVertexID key is written as
 * its 32-digit hex string (`JobVertexID#toHexString`) and read with
 * `JobVertexID.fromHexString`; an Edge key as `from,to`.
 */

const HEX32 = /^[0-9a-f]{32}$/;

/** A state-format problem: where in the ConfigMap, and what. */
export class StateFormatError extends Error {
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = "StateFormatError";
  }
}

/** JobVertexIdKeyDeserializer: `JobVertexID.fromHexString` (32 hex digits; upper case is accepted there too). */
export function deserializeJobVertexIdKey(key: string, where: string): string {
  const id = key.toLowerCase();
  if (!HEX32.test(id)) throw new StateFormatError(where, `'${key}' is not a JobVertexID (32 hex digits)`);
  return id;
}

/** JobVertexIdKeySerializer. */
export function serializeJobVertexIdKey(id: string): string {
  if (!HEX32.test(id)) throw new Error(`'${id}' is not a JobVertexID (32 hex digits)`);
  return id;
}

/** EdgeKeySerializer: `from,to`. */
export function serializeEdgeKey(from: string, to: string): string {
  return `${serializeJobVertexIdKey(from)},${serializeJobVertexIdKey(to)}`;
}

/** EdgeKeyDeserializer. */
export function deserializeEdgeKey(key: string, where: string): { from: string; to: string } {
  const [from = "", to = ""] = key.split(",");
  return { from: deserializeJobVertexIdKey(from, where), to: deserializeJobVertexIdKey(to, where) };
}
