import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir`, but in folders named in `skipped` (installed, generated or local state). */
export function filesUnder(dir: string, skipped: ReadonlySet<string>): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (skipped.has(entry)) return [];
    return statSync(path).isDirectory() ? filesUnder(path, skipped) : [path];
  });
}
