/** The command line's help texts, in a module of their own so that --help loads nothing else. */

export const HELP = `Usage: npm run sim -- <scenario.yaml> [options]
       npm run sim -- diff <runDirA> <runDirB> [--tolerance F]
       npm run sim -- report <runDir | scenarioDir>

Simulates the Flink job a scenario describes (a FlinkDeployment plus a simulation:
block) on a virtual clock and writes what happened to out/<scenario>/<variant>/.
Every variant in simulation.variants runs on the same random streams; with more than
one variant or replication, out/<scenario>/comparison.csv compares them.

Options:
  --out DIR          write under DIR instead of out/
  --variant NAME     run only this variant
  --replications N   run every variant with N seeds (seed, seed+1, ...); the comparison
                     shows means with 95% confidence intervals and paired differences
  --seed N           seed of every random stream (overrides simulation.seed)
  --duration D       virtual time to simulate, in Flink's syntax: 30min, 2h, PT6H
  --set KEY=VALUE    set a flinkConfiguration key (repeatable), e.g.
                     --set pipeline.max-parallelism=24
  --quiet            print nothing but errors and warnings
  --strict           treat warnings (a key close to one the simulator reads) as errors
  --no-report        do not write the report.html files
  -h, --help         show this help

Files written: timeseries.csv, decisions.csv, restarts.csv, events.csv,
autoscaler.log, summary.json and report.html (charts, one self-contained page to open
in a browser); beside comparison.csv, a report.html comparing the variants.
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
