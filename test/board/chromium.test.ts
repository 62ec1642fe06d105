import { launchChromium } from "./chromium";

describe("the browser tests' Chromium", () => {
  it("fails with how to install it when it is missing, instead of skipping", async () => {
    // GIVEN no browser at the path
    // WHEN the browser tests start
    // THEN they fail, naming the path and the Debian package
    await expect(launchChromium(undefined, "/nonexistent/chromium")).rejects.toThrow(
      "Chromium is missing at /nonexistent/chromium: the browser tests need Debian's chromium package (apt-get update && apt-get install -y chromium; .ci/run installs it), or NETLAB_CHROMIUM=/path/to/chromium.",
    );
  });
});
