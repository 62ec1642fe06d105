/** The tool's version, recorded in saved snapshots and reports. */
export const VERSION = (require("../package.json") as { version: string }).version;
