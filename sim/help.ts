/** The command line's help texts, in a module of their own so that --help loads nothing else. */

export const HELP = `Usage: npm run sim -- <scenario.yaml> [options]
       npm run sim -- sweep <scenario.yaml> --grid KEY=V1,V2,... [options]  (sweep --help)
       npm run sim -- merge <shardDir>... [--out DIR]                       (merge --help)
       npm run sim -- diff <runDirA> <runDirB> [--tolerance F]
       npm run sim -- report <runDir | scenarioDir>
       npm run sim -- init <deployment.yaml> [--out scenario.yaml]           (init --help)
       npm run sim -- import <dumpDir | http://jobmanager:8081> --deployment <deployment.yaml> [--job ID] [--out scenario.yaml]
       npm run sim -- calibrate <operator.log> [--deployment NAME] [--json]
       (installed as a package: npx flink-autoscaler-sim ...)

Simulates the Flink job a scenario describes (a FlinkDeployment plus a simulation:
block) on a virtual clock and writes what happened to out/<scenario>/<variant>/.
Every variant in simulation.variants runs on the same random streams; with more than
one variant or replication, out/<scenario>/comparison.csv compares them.

Options:
  --out DIR          write under DIR instead of out/
  --variant NAME     run only this variant
  --replications N   run every variant with N seeds (seed, seed+1, ...); the comparison
                     shows means with 95% confidence intervals and paired differences.
                     Only the first seed's files are written; the others keep only
                     their figures in comparison.csv, unless --keep-runs
  --keep-runs        with --replications, also write every other seed's files, to
                     out/<scenario>/<variant>/seed-<n>/
  --seed N           seed of every random stream (overrides simulation.seed)
  --duration D       virtual time to simulate, in Flink's syntax: 30min, 2h, PT6H
                     (a bare number, milliseconds to Flink, is refused)
  --set KEY=VALUE    set a flinkConfiguration key, or a path into the scenario's
                     simulation: or spec: block (repeatable), e.g.
                     --set pipeline.max-parallelism=24
                     --set simulation.recordSize=1kb
                     --set 'simulation.job.operators[map].cost=3s'  (operator by id)
                     --set simulation.execution=aggregate  (record: record by record;
                     aggregate: as flows per second, cost flat in the rate; auto, the
                     default: aggregate from 1,000 records/s where the job allows)
  --quiet            print nothing but errors and warnings
  --strict           treat warnings (a key close to one the simulator reads, a run
                     with no autoscaler evaluation) as errors
  --no-report        do not write the report.html files
  --subtasks         also write subtasks.csv, one row per subtask per sample
                     (simulation.subtasks: true), and its heat maps in report.html
  --rest-dump T      also save the job's REST answers at virtual time T into
                     <variant>/rest-dump/, as scripts/flink-rest-dump.sh saves a real
                     job's (npm run sim -- import reads both)
  -y, --yes          run a very long or very big run without asking (needed where
                     there is no terminal to ask on: over 30 min or 10 GB by the
                     estimate printed before the run)
  -h, --help         show this help

Files written: timeseries.csv, decisions.csv, restarts.csv, events.csv,
autoscaler.log, summary.json, overrides.json (the variant, seed, --duration and
every --set that made the run) and report.html (charts, one self-contained page to
open in a browser); beside comparison.csv, a report.html comparing the variants.
Exit status: 0 done, 2 bad scenario or arguments, 1 unexpected failure.

Example:
  npm run sim -- scenarios/backpressure.yaml --duration 2h --set taskmanager.numberOfTaskSlots=2
`;

export const DIFF_HELP = `diff <runDirA> <runDirB> [--tolerance F]
  Compares two run folders (out/<scenario>/<variant>/): headline figures of summary.json
  and the executed decisions of decisions.csv. Prints what changed; exit status 1 when a
  figure differs by more than the relative tolerance F (default 0) or a decision differs.

report <runDir | scenarioDir>
  Renders report.html again from the files a run wrote: in a run folder
  (out/<scenario>/<variant>/), or in a scenario folder (out/<scenario>/: each run's
  report and the comparison's). Exit status 2 when the folder holds no run.
`;

export const SWEEP_HELP = `Usage: npm run sim -- sweep <scenario.yaml> --grid KEY=V1,V2,... [--grid ...] [options]

Runs every cell of the grid (the cartesian product of the --grid values, the first
--grid varying slowest) with the same seeds (common random numbers), on every core,
and writes out/<scenario>/sweep/: runs.csv (one row per run: its cell's values, seed,
headline figures), cells.csv (one row per cell: n, mean and 95% CI of each figure, and
its difference from the baseline cell paired by seed) and sweep.json (the sweep).
The folder is written whole or not at all.

Grid keys: any Flink or operator configuration key (job.autoscaler.restart.time), a
path into the simulation: or spec: block (simulation.recordSize,
'simulation.job.operators[map].cost'), or variant (the scenario's variants). Values
are separated by commas; a value in braces keeps its commas:
  --grid 'simulation.job.operators[map].cost=1s,{distribution: uniform, min: 1s, max: 3s}'

Options:
  --grid KEY=V1,V2,...  one axis of the grid (repeatable; none: one cell)
  --replications N      seeds per cell: seed .. seed+N-1 (default 1)
  --seed N              the first seed (default: simulation.seed)
  --jobs N              parallel runs (default: the cores available, os.availableParallelism())
  --baseline CELL       the cell differences are paired against: its number in
                        cells.csv, or KEY=VALUE[,KEY=VALUE] (default: the first cell)
  --keep-runs           also write every run's files, to sweep/runs/cell-<n>/seed-<s>/
                        (without it, runs keep only their row in runs.csv)
  --out DIR             write under DIR instead of out/
  --set KEY=VALUE       fixed for every cell (repeatable)
  --variant NAME        the variant of every cell (without a variant axis; default: the first)
  --duration D          virtual time of every run
  --shard I/N           run only shard I of N (every N-th run, from the I-th) into
                        out/<scenario>/sweep-shard-I-of-N/; in a Kubernetes Indexed Job,
                        JOB_COMPLETION_INDEX (from 0) and SWEEP_SHARD_COUNT name it instead
  --figures A,B,...     the figures the printed table, cells.csv and report.html show, in
                        this order (default: cells.csv all, the table and report a few);
                        names as in runs.csv: scalings, slot_hours, records_processed,
                        lag_max (records), lag_s_max (s), ... (a wrong one lists them all)
  --rank FIGURE[:desc]  order the printed table's and the report's cells by the figure's
                        mean, smallest first (:asc, the default) or largest first (:desc)
  --dry-run             check everything and say what would run, run nothing
  --quiet               print nothing but errors and warnings
  --strict              treat warnings as errors
  -h, --help            show this help

The printed table rounds each 95% CI to 2 significant digits and its mean to the same
decimal place (2,375,600,000 ± 2,300,000); cells.csv keeps 4 decimals. docs/sweeps.md
says more.

Progress (runs done, runs/s, time left) goes to stderr. Exit status: 0 done, 2 bad
grid, scenario or arguments, 1 a run failed, 130/143 interrupted (nothing written).

Example:
  npm run sim -- sweep scenarios/backpressure.yaml --grid variant=tracking-on,tracking-off \\
    --grid job.autoscaler.utilization.target=0.5,0.7,0.9 --replications 30 \\
    --figures scalings,slot_hours,lag_s_max --rank lag_s_max
`;

export const MERGE_HELP = `Usage: npm run sim -- merge <shardDir>... [--out DIR]

Combines the folders of a sharded sweep (sweep --shard I/N, each writing
out/<scenario>/sweep-shard-I-of-N/) into out/<scenario>/sweep/, the very files the
sweep writes on one machine. Each argument is a shard's folder or a folder holding
them. A shard missing, given twice or of another sweep is an error naming it (exit 2).

Options:
  --out DIR   write under DIR instead of out/
  --quiet     print nothing but errors
`;

export const INGEST_HELP = `Your job in the simulator: three commands that read what a cluster already knows.

  npm run sim -- init <deployment.yaml> [--out scenario.yaml] [--force]
      Your FlinkDeployment with a commented simulation: skeleton that runs as written;
      each number says where to read it on a running job. Without --out, printed.

  npm run sim -- import <dumpDir | http://jobmanager:8081> --deployment <deployment.yaml>
                        [--job ID] [--out scenario.yaml] [--force] [--quiet]
      A running job's plan and metrics (its REST API, or a folder saved by
      scripts/flink-rest-dump.sh <url> <jobid> <folder>) turned into a scenario: the
      topology with its ship strategies and chains, a cost per record from each vertex's
      busy time over its records per second per subtask, selectivities from out/in, the
      sources' rates as an editable load, Kafka partitions where the metrics show them.
      What cannot be inferred is said on stderr and marked in the file. --job picks the
      job when more than one runs.

  npm run sim -- calibrate <operator.log> [--deployment NAME] [--json]
      The operator's log (INFO and DEBUG lines, ANSI colours, several deployments
      interleaved) read for the reconcile cadence, each restart by kind (in-place or
      redeploy), stabilization and window; prints them and a simulation: snippet whose
      restarts match. --json prints one JSON document.

  npm run sim -- replay <configmap.yaml> --deployment <deployment.yaml> [--rest <dumpDir>]
                        [--set KEY=VALUE ...] [--grid KEY=V1,V2 ...] [--json]
      The autoscaler's ConfigMap (kubectl get configmap autoscaler-<name> -o yaml)
      replayed: the decision it would make now on its stored metric window, per vertex
      (parallelism, true processing rate, target rate, thresholds, reason) and per
      configuration of the grid side by side, with the restart time each would use. The
      edges come from --rest (a dump as import reads it), else are assumed and said.
      One step only: what follows a changed decision needs the imported scenario run.

Bad input is one line on stderr and exit status 2; nothing is written then.
`;
