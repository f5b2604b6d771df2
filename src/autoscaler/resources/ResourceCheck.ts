/** Whether a cluster can fit more TaskManagers (ResourceCheck). Memory in bytes. */
export interface ResourceCheck {
  trySchedule(currentInstances: number, newInstances: number, cpuPerInstance: number, memoryPerInstance: number): boolean;
}

/** Always fits (NoopResourceCheck). */
export class NoopResourceCheck implements ResourceCheck {
  trySchedule(): boolean {
    return true;
  }
}
