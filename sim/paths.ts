import { isAbsolute, relative, resolve } from "node:path";

/**
 * A path the user typed, resolved against the folder they ran the command in: npm runs
 * scripts in the package's root and says where it was started in INIT_CWD. Returned
 * relative to the working folder when it lies below it (shorter in messages), else absolute.
 */
export function userPath(path: string): string {
  const absolute = resolve(process.env.INIT_CWD ?? process.cwd(), path);
  const fromHere = relative(process.cwd(), absolute);
  return fromHere !== "" && !fromHere.startsWith("..") && !isAbsolute(fromHere) ? fromHere : absolute;
}
