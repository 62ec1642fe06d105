import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's chromium package (`apt-get install -y chromium`; .ci/run installs it). NETLAB_CHROMIUM overrides. */
export const CHROMIUM = process.env.NETLAB_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Why the browser tests cannot run on this machine, or undefined when they can. Only outside CI: a newcomer's
 * `npm test` on a fresh machine skips them with this reason, while CI (CI=true, where .ci/run installs the
 * browser) runs them, and a missing browser fails there with how to install it.
 */
export function browserSkipReason(env: NodeJS.ProcessEnv = process.env, executable = CHROMIUM): string | undefined {
  if (existsSync(executable) || env.CI) return undefined;
  return `the board's browser tests are skipped: Chromium is missing at ${executable} (apt-get update && apt-get install -y chromium, or NETLAB_CHROMIUM=/path/to/chromium); CI runs them.`;
}

/** A headless Chromium with a fresh profile, nothing from the network: a missing browser fails loudly, never skips. */
export async function launchChromium(viewport = { width: 1400, height: 1000 }, executable = CHROMIUM): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(executable)) {
    throw new Error(`Chromium is missing at ${executable}: the browser tests need Debian's chromium package (apt-get update && apt-get install -y chromium; .ci/run installs it), or NETLAB_CHROMIUM=/path/to/chromium.`);
  }
  const profile = mkdtempSync(join(tmpdir(), "netlab-chromium-"));
  // A fresh --user-data-dir: playwright takes it as the persistent context's directory.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    viewport,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
