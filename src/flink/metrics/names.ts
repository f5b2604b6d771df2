/** Flink's default metrics.scope.operator name limit (TaskMetricGroup.METRICS_OPERATOR_NAME_MAX_LENGTH). */
export const METRICS_OPERATOR_NAME_MAX_LENGTH = 80;

/**
 * An operator's name as it appears in metric names: truncated to 80 characters, then
 * with the characters the metric query service rejects (space, '.', ':', ',') replaced
 * by '_' ("Source: orders" -> "Source__orders").
 */
export function operatorMetricName(operatorName: string): string {
  const truncated =
    operatorName.length > METRICS_OPERATOR_NAME_MAX_LENGTH
      ? operatorName.slice(0, METRICS_OPERATOR_NAME_MAX_LENGTH)
      : operatorName;
  return truncated.replace(/[ .:,]/g, "_");
}
