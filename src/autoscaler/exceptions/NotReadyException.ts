/** The job is not ready for metric collection yet (NotReadyException); the autoscaler tries again later. */
export class NotReadyException extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NotReadyException";
  }
}
