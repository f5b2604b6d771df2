import { suggestion } from "./ScenarioError.ts";

/**
 * The Flink and operator keys the simulator reads outside the autoscaler's own options
 * (those are checked against AutoScalerOptions). Flink accepts any key, so an unknown one
 * is no error; but one a letter or two away from a key the simulator reads is almost
 * certainly a typo that would silently change a run, and earns a warning.
 */
export const SIMULATOR_KEYS = [
  "parallelism.default",
  "pipeline.max-parallelism",
  "pipeline.jobvertex-parallelism-overrides",
  "taskmanager.numberOfTaskSlots",
  "taskmanager.memory.segment-size",
  "taskmanager.memory.process.size",
  "taskmanager.network.memory.buffers-per-channel",
  "taskmanager.network.memory.floating-buffers-per-gate",
  "taskmanager.network.memory.max-buffers-per-channel",
  "execution.buffer-timeout",
  "execution.buffer-timeout.interval",
  "execution.buffer-timeout.enabled",
  "metrics.fetcher.update-interval",
  "resourcemanager.taskmanager-timeout",
  "jobmanager.scheduler",
  "jobmanager.adaptive-scheduler.resource-stabilization-timeout",
  "python.fn-execution.bundle.size",
  "python.fn-execution.bundle.time",
  "kubernetes.operator.reconcile.interval",
  "kubernetes.operator.job.upgrade.inplace-scaling.enabled",
  "taskmanager.cpu.cores",
  "kubernetes.taskmanager.cpu.amount",
  "kubernetes.taskmanager.cpu",
  "kubernetes.taskmanager.cpu.limit-factor",
] as const;

/** Keys a TaskManager key above is a few letters from, which are no typos (the JobManager's CPU). */
const NOT_TYPOS = ["kubernetes.jobmanager.cpu", "kubernetes.jobmanager.cpu.amount", "kubernetes.jobmanager.cpu.limit-factor"] as const;

/** JobManagerOptions.SCHEDULER's values (SchedulerType, matched ignoring case). */
const SCHEDULERS = ["Default", "Adaptive", "AdaptiveBatch"] as const;

const BOOLEAN_KEYS = ["execution.buffer-timeout.enabled", "kubernetes.operator.job.upgrade.inplace-scaling.enabled"] as const;

/** A value Flink would refuse: the key and why. */
export interface KeyProblem {
  readonly key: string;
  readonly problem: string;
}

/** Values of keys with a fixed set of values that Flink would refuse. */
export function invalidValues(config: Readonly<Record<string, string>>): KeyProblem[] {
  const problems: KeyProblem[] = [];
  const scheduler = config["jobmanager.scheduler"];
  if (scheduler !== undefined && !SCHEDULERS.some((s) => s.toLowerCase() === scheduler.trim().toLowerCase())) {
    problems.push({
      key: "jobmanager.scheduler",
      problem: `'${scheduler}' is not a scheduler: one of ${SCHEDULERS.join(", ")} (ignoring case)${suggestion(scheduler, SCHEDULERS.map((s) => s.toLowerCase()))}`,
    });
  }
  for (const key of BOOLEAN_KEYS) {
    const value = config[key];
    if (value !== undefined && !/^(true|false)$/i.test(value.trim())) problems.push({ key, problem: `'${value}' is not a boolean: true or false` });
  }
  return problems;
}

/** Keys that are not ones the simulator reads but close to one: likely typos Flink would ignore. */
export function nearMisses(config: Readonly<Record<string, string>>, otherKnown: readonly string[]): KeyProblem[] {
  const known = new Set<string>([...SIMULATOR_KEYS, ...NOT_TYPOS, ...otherKnown]);
  const problems: KeyProblem[] = [];
  for (const key of Object.keys(config)) {
    if (known.has(key)) continue;
    const hint = suggestion(key, SIMULATOR_KEYS);
    if (hint !== "") problems.push({ key, problem: `not a key the simulator reads${hint}; Flink accepts unknown keys, so it is ignored` });
  }
  return problems;
}
