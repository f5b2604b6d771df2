import { parseDocument } from "yaml";

/**
 * `npm run sim -- init <deployment.yaml>`: the user's FlinkDeployment with a commented
 * `simulation:` skeleton appended, which runs as it is (a datagen source, one operator, a
 * sink) and says what each number is and where to read it on a running job.
 */

/** The one-line error for a FlinkDeployment without `simulation:` (loadScenario's wording is the lead's to wire). */
export function missingSimulationMessage(file: string): string {
  return `${file}: simulation: is required: a FlinkDeployment does not say the job's topology, record costs and load; write a skeleton to fill in with \`npm run sim -- init ${file}\`, or read them from a running job with \`npm run sim -- import <dump folder | http://jobmanager:8081> --deployment ${file}\``;
}

/** A FlinkDeployment that init cannot extend: one line. */
export class InitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InitError";
  }
}

const SKELETON = `
# ---------------------------------------------------------------------------------------
# What the simulator needs and a cluster does not say. Written by \`npm run sim -- init\`:
# every number below is a placeholder that runs; replace it with your job's.
# ---------------------------------------------------------------------------------------
simulation:
  duration: 6h        # virtual time to simulate
  seed: 1             # same seed, same outputs
  # recordSize: 64b   # serialized size of one record (network buffers fill by bytes)
  job:
    name: my-job
    operators:
      # One entry per operator of your job, sources first. Operators joined by FORWARD
      # edges at equal parallelism are chained into one job vertex, as Flink does.
      - id: source
        name: "Source: input"
        kind: source
        # datagen (Table/SQL), datastream-datagen (FLIP-27) or kafka:
        #   { connector: kafka, topic: input, partitions: 12, load: 5000 }
        # load: records per second, or a profile such as
        #   { profile: sine, min: 1000, max: 8000, period: 1d }
        source: { connector: datagen, rowsPerSecond: 1000 }
      - id: process
        name: Process
        # cost: busy time per record of one subtask. On a running job: a vertex's
        # busyTimeMsPerSecond (ms/s) divided by its numRecordsInPerSecond per subtask
        # (the vertex's rate / its parallelism). 400 ms/s busy at 2,000 records/s over
        # 4 subtasks (500 each) is 0.8 ms (800µs) per record; durations take whole numbers.
        cost: 500µs       # or { distribution: lognormal, median: 500µs, p95: 2ms }
        selectivity: 1    # records out per record in (numRecordsOut / numRecordsIn)
      - id: sink
        name: "Sink: output"
        kind: sink
    edges:
      # shipStrategy as the job's plan shows it: FORWARD, REBALANCE, HASH, SHUFFLE, BROADCAST...
      - { from: source, to: process, shipStrategy: REBALANCE }
      - { from: process, to: sink, shipStrategy: FORWARD }
  # restart:   # how long a rescale takes, phase by phase (\`npm run sim -- calibrate <operator log>\` fits them)
  #   inPlace: { podStart: { distribution: lognormal, median: 11s, p95: 13s }, cancel: 1s }
  #   redeploy: { jobManagerStart: { distribution: lognormal, median: 20s, p95: 40s } }
`;

/** The deployment's text with the skeleton appended; throws InitError when it is no FlinkDeployment or already has simulation:. */
export function simulationSkeleton(deploymentText: string, file = "deployment.yaml"): string {
  const doc = parseDocument(deploymentText);
  if (doc.errors.length > 0) throw new InitError(`${file}: is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  const root: unknown = doc.toJS();
  if (typeof root !== "object" || root === null || Array.isArray(root)) throw new InitError(`${file}: is not a FlinkDeployment (expected a mapping)`);
  const obj = root as Record<string, unknown>;
  if (obj["kind"] !== "FlinkDeployment") throw new InitError(`${file}: kind is ${JSON.stringify(obj["kind"] ?? null)}, not FlinkDeployment`);
  if (obj["simulation"] !== undefined) throw new InitError(`${file}: already has a simulation: block`);
  return `${deploymentText.replace(/\s*$/, "")}\n${SKELETON}`;
}
