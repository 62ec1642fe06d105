import { browserSkipReason, launchChromium } from "./chromium";

describe("the browser tests' Chromium", () => {
  it("fails with how to install it when it is missing, instead of skipping", async () => {
    // GIVEN no browser at the path
    // WHEN the browser tests start
    // THEN they fail, naming the path and the Debian package
    await expect(launchChromium(undefined, "/nonexistent/chromium")).rejects.toThrow(
      "Chromium is missing at /nonexistent/chromium: the browser tests need Debian's chromium package (apt-get update && apt-get install -y chromium; .ci/run installs it), or NETLAB_CHROMIUM=/path/to/chromium.",
    );
  });

  it("are skipped on a developer's machine without it, with the reason, and never in CI", () => {
    // GIVEN no browser at the path
    // WHEN the browser tests ask whether to run, outside CI and in CI
    const outside = browserSkipReason({}, "/nonexistent/chromium");
    const inCi = browserSkipReason({ CI: "true" }, "/nonexistent/chromium");
    // THEN outside CI they are skipped with the path and how to install it; in CI they run (and fail at launch)
    expect(outside).toBe(
      "the board's browser tests are skipped: Chromium is missing at /nonexistent/chromium (apt-get update && apt-get install -y chromium, or NETLAB_CHROMIUM=/path/to/chromium); CI runs them.",
    );
    expect(inCi).toBeUndefined();
  });

  it("run wherever the browser is", () => {
    // GIVEN a browser at the path (any existing executable stands in for it)
    // WHEN asked outside CI / THEN nothing stops them
    expect(browserSkipReason({}, process.execPath)).toBeUndefined();
  });
});
