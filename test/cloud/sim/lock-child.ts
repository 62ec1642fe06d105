/**
 * A child process for the lock race test: waits for `<dir>/go`, tries to lock the simulated lab once,
 * and if it got the lock, holds it for a while, checking that the lock file stays its own. Prints one
 * JSON line: { locked, stolen, error? }.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SimStateStore } from "../../../cloud/sim/state-store";

const [dir, id] = process.argv.slice(2);
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
writeFileSync(join(dir, `ready-${id}`), "");
while (!existsSync(join(dir, "go"))) pause(1);
const store = new SimStateStore(dir, "s01");
let locked = false;
let stolen = false;
let error: string | undefined;
try {
  store.lock();
  locked = true;
  for (let i = 0; i < 100; i++) {
    let pid: number | undefined;
    try {
      pid = (JSON.parse(readFileSync(store.lockPath, "utf8")) as { pid: number }).pid;
    } catch {
      pid = undefined; // removed by someone else
    }
    if (pid !== process.pid) stolen = true;
    pause(2);
  }
  store.unlock();
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
process.stdout.write(`${JSON.stringify({ locked, stolen, error })}\n`);
