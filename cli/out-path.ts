import { existsSync, mkdirSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { UsageError } from "./exit-codes";

/**
 * Kernel file systems: nothing netlab writes belongs there, and Node's recursive mkdir loops forever
 * under /proc (it keeps retrying a parent that exists but cannot hold a folder).
 */
const KERNEL_FOLDERS = ["/proc", "/sys", "/dev"];

/** The path itself if it exists, else its nearest existing parent, with symbolic links resolved. */
function nearestExisting(path: string): string {
  let p = path;
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function refuseKernelFolder(flag: string, given: string, path: string): void {
  for (const candidate of [path, nearestExisting(path)]) {
    const hit = KERNEL_FOLDERS.find((k) => candidate === k || candidate.startsWith(`${k}${sep}`));
    if (hit) throw new UsageError(`${flag} ${given} is under ${hit}, a kernel file system, not a place for netlab's files; give a folder on disk.`);
  }
}

/**
 * The folder an output flag names, created if needed, checked before any work is done: a command that
 * cannot write its output says so at once (exit 2, the path and the reason), not after grading a class.
 */
export function prepareOutDir(cwd: string, given: string, flag = "--out"): string {
  const dir = resolve(cwd, given);
  refuseKernelFolder(flag, given, dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${flag} ${given} is a file, not a folder; give a folder (it is created if missing).`);
  // A file in the way (ENOTDIR, EEXIST) or no permission (EACCES) comes out of mkdir as a file-system error: exit 2 naming the path.
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A file an output flag names: its folder must exist, and it must be (or become) a regular file. */
export function checkOutFile(cwd: string, given: string, flag = "--out"): string {
  const file = resolve(cwd, given);
  refuseKernelFolder(flag, given, file);
  const folder = dirname(file);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`${flag} ${file}: the folder ${folder} does not exist; create it first or give another path (or - for stdout).`);
  if (existsSync(file)) {
    const s = statSync(file);
    if (s.isDirectory()) throw new UsageError(`${flag} ${file} is a folder; give a file path such as ${resolve(file, "lab.mmd")}.`);
    // Writing into a FIFO with no reader waits forever; a device is not a file to overwrite.
    if (!s.isFile()) throw new UsageError(`${flag} ${file} is not a regular file (a pipe, socket or device); give a file path (or - for stdout).`);
  }
  return file;
}
