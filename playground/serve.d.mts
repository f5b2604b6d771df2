/** Serves the files of `root` over node:http; resolves to its URL and a close(). */
export function serveStatic(root: string, options?: { port?: number; host?: string }): Promise<{ url: string; close(): Promise<void> }>;
