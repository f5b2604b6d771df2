import type { Environment, EventHandle } from "../../engine/Environment.ts";
import { fairLevel, nodeOf, speedAt, taskManagerAllocations, type TaskManagerCpu } from "./TaskManagerCpu.ts";

/** Runs a piece of work that takes `workMs` at full speed, `share` of it on the CPU, and calls `done` when it is over. */
export interface CpuRunner {
  run(workMs: number, share: number, done: () => void): void;
}

/** Work that never waits for a CPU: `done` after `workMs` exactly. */
export function directRunner(env: Environment): CpuRunner {
  return { run: (workMs, _share, done) => void env.schedule(workMs, done) };
}

/** cpu.cfs_period_us: the kernel's default CFS bandwidth period, 100 ms. */
export const CFS_PERIOD_MS = 100;

/** A piece of work on a TaskManager's CPU. */
interface CpuJob {
  readonly taskManager: number;
  readonly share: number;
  readonly done: () => void;
  /** Current speed: nominal ms done per ms of virtual time (0 while throttled). */
  speed: number;
  /** Nominal ms left at `since`. */
  remaining: number;
  since: number;
  event: EventHandle | null;
}

/** A TaskManager container's CFS bandwidth: the quota used in the current period. */
interface Container {
  readonly jobs: CpuJob[];
  /** The current period's start. */
  periodStart: number;
  /** CPU ms used in the current period up to `since`. */
  used: number;
  since: number;
  /** Cores in use now (the running work's shares times their speeds). */
  rate: number;
  throttled: boolean;
  quotaEvent: EventHandle | null;
  /** The end of the period the container is throttled in. */
  periodEvent: EventHandle | null;
}

/**
 * The TaskManagers' CPUs in record mode, as the Linux CFS enforces a container's limit:
 * bandwidth control gives the container `limit x period` of CPU time per 100 ms period
 * (cpu.cfs_quota_us / cpu.cfs_period_us); its threads (task threads, a Python worker) run
 * in parallel at full speed until the quota is used up, then all wait for the next period.
 * Averaged over a period the threads share the limit (processor sharing at the period's
 * grain), and the time a thread waits mid-record counts as busy, as Flink measures it.
 * On a node (optional) the busy threads of all its TaskManagers share its cores at each
 * moment: fairly among the pods (equal requests), fairly among each pod's threads.
 * Work whose speed does not change keeps its completion event, so a TaskManager that never
 * uses up its quota runs exactly as without the model.
 */
export class CpuScheduler {
  private readonly containers: Container[];
  private readonly quota: number;
  private stopped = false;

  constructor(
    private readonly env: Environment,
    private readonly taskManagers: number,
    private readonly cpu: TaskManagerCpu,
  ) {
    const start = Math.floor(env.now / CFS_PERIOD_MS) * CFS_PERIOD_MS;
    this.containers = Array.from({ length: taskManagers }, () => ({ jobs: [], periodStart: start, used: 0, since: env.now, rate: 0, throttled: false, quotaEvent: null, periodEvent: null }));
    this.quota = cpu.limitCores * CFS_PERIOD_MS;
  }

  /** The runner of TaskManager `taskManager`'s threads. */
  runner(taskManager: number): CpuRunner {
    return { run: (workMs, share, done) => this.run(taskManager, workMs, share, done) };
  }

  /** Cancels all work (the deployment ends). */
  stop(): void {
    this.stopped = true;
    for (const c of this.containers) {
      for (const job of c.jobs) if (job.event !== null) this.env.cancel(job.event);
      if (c.quotaEvent !== null) this.env.cancel(c.quotaEvent);
      if (c.periodEvent !== null) this.env.cancel(c.periodEvent);
      c.jobs.length = 0;
    }
  }

  private run(taskManager: number, workMs: number, share: number, done: () => void): void {
    if (this.stopped) return;
    if (share <= 0) {
      this.env.schedule(workMs, done);
      return;
    }
    const c = this.containers[taskManager]!;
    this.account(c);
    const job: CpuJob = { taskManager, share, done, speed: c.throttled ? 0 : 1, remaining: workMs, since: this.env.now, event: null };
    c.jobs.push(job);
    if (!c.throttled) job.event = this.env.schedule(workMs, () => this.finish(job));
    this.changed(taskManager);
  }

  private finish(job: CpuJob): void {
    const c = this.containers[job.taskManager]!;
    this.account(c);
    c.jobs.splice(c.jobs.indexOf(job), 1);
    this.changed(job.taskManager);
    job.done();
  }

  /** Brings the container's quota accounting up to now (a new period starts with a fresh quota). */
  private account(c: Container): void {
    const now = this.env.now;
    const periodStart = Math.floor(now / CFS_PERIOD_MS) * CFS_PERIOD_MS;
    if (periodStart > c.periodStart) {
      if (c.throttled) this.unthrottle(c, periodStart);
      c.periodStart = periodStart;
      c.used = c.rate * (now - periodStart);
    } else {
      c.used += c.rate * (now - c.since);
    }
    c.since = now;
  }

  /** The work of TaskManager `p` changed: new speeds on its node, new quota deadlines. */
  private changed(p: number): void {
    const now = this.env.now;
    const nodes = this.cpu.nodes;
    const members: number[] = [];
    if (nodes === undefined) members.push(p);
    else for (let q = nodeOf(p, this.cpu); q < this.taskManagers; q += nodes.count) members.push(q);
    if (nodes !== undefined) {
      const demand = new Float64Array(this.taskManagers);
      for (const q of members) {
        const c = this.containers[q]!;
        if (q !== p) this.account(c);
        if (!c.throttled) for (const job of c.jobs) demand[q]! += job.share;
      }
      // Instantaneous sharing of the node's cores (the pod limits are enforced per period, below).
      const allocation = taskManagerAllocations(demand, { ...this.cpu, limitCores: Infinity });
      for (const q of members) {
        const c = this.containers[q]!;
        if (c.throttled || c.jobs.length === 0) continue;
        const level = fairLevel(
          c.jobs.map((j) => j.share),
          allocation[q]!,
        );
        for (const job of c.jobs) this.setSpeed(job, speedAt(job.share, level));
      }
    }
    for (const q of members) {
      const c = this.containers[q]!;
      let rate = 0;
      for (const job of c.jobs) rate += job.share * job.speed;
      c.rate = rate;
      this.scheduleQuota(c, now);
    }
  }

  /** Changes a job's speed, moving its completion. */
  private setSpeed(job: CpuJob, speed: number): void {
    if (speed === job.speed) return;
    const now = this.env.now;
    job.remaining = Math.max(0, job.remaining - (now - job.since) * job.speed);
    job.since = now;
    job.speed = speed;
    if (job.event !== null) this.env.cancel(job.event);
    job.event = speed > 0 ? this.env.scheduleAt(now + job.remaining / speed, () => this.finish(job)) : null;
  }

  /** Schedules the moment the container's quota runs out at its current rate, if it does before anything changes. */
  private scheduleQuota(c: Container, now: number): void {
    if (c.quotaEvent !== null) this.env.cancel(c.quotaEvent);
    c.quotaEvent = null;
    if (c.throttled || c.rate <= 0) return;
    const periodEnd = c.periodStart + CFS_PERIOD_MS;
    let at = now + Math.max(0, this.quota - c.used) / c.rate;
    if (at >= periodEnd) {
      if (c.rate <= this.cpu.limitCores) return; // the quota lasts every period at this rate
      at = periodEnd + this.quota / c.rate;
    }
    c.quotaEvent = this.env.scheduleAt(at, () => {
      c.quotaEvent = null;
      this.account(c);
      this.throttle(c);
    });
  }

  /** The quota is used up: every thread of the container waits for the next period. */
  private throttle(c: Container): void {
    c.throttled = true;
    for (const job of c.jobs) this.setSpeed(job, 0);
    c.rate = 0;
    const p = this.containers.indexOf(c);
    c.periodEvent = this.env.scheduleAt(c.periodStart + CFS_PERIOD_MS, () => {
      c.periodEvent = null;
      this.account(c);
      this.changed(p);
    });
    this.changed(p);
  }

  /** A new period: the container's threads run again. */
  private unthrottle(c: Container, periodStart: number): void {
    c.throttled = false;
    if (c.periodEvent !== null) this.env.cancel(c.periodEvent);
    c.periodEvent = null;
    c.periodStart = periodStart;
    c.since = this.env.now;
    c.used = 0;
    for (const job of c.jobs) {
      job.since = this.env.now;
      this.setSpeed(job, 1);
    }
  }
}
