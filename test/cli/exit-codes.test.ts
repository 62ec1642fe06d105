import { reportLabErrors } from "../../cli/common";
import { classifyError, RefusedError } from "../../cli/exit-codes";
import { bufferIo } from "../../cli/io";
import { run } from "../../cli/run";
import { IncompleteDescribeError } from "../../cloud/aws/errors";

const aws = (name: string, message = name, extra: object = {}) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400 }, ...extra });

describe("classifying a lab's error", () => {
  it.each<[string, unknown, number, boolean, string]>([
    ["throttled after every retry", aws("ThrottlingException", "Rate exceeded"), 3, true, "inconclusive: AWS kept throttling lab s01 after every retry"],
    ["connection refused", Object.assign(new Error("connect ECONNREFUSED 52.95.1.1:443"), { code: "ECONNREFUSED", syscall: "connect", address: "52.95.1.1" }), 3, true, "inconclusive: AWS could not be reached for lab s01 (ECONNREFUSED) after every retry"],
    ["socket timeout", Object.assign(new Error("socket hang up"), { name: "TimeoutError" }), 3, true, "inconclusive: AWS could not be reached for lab s01 (TimeoutError)"],
    ["a service fault", aws("InternalError", "boom"), 3, true, "inconclusive: AWS error in lab s01: InternalError: boom"],
    ["a list AWS answered only in part", new IncompleteDescribeError("Transit gateway route table tgw-rtb-1 holds more routes than AWS returned"), 3, true, "inconclusive: Transit gateway route table tgw-rtb-1"],
    ["a file the OS refused", Object.assign(new Error("EACCES: permission denied, open '/x/lock'"), { code: "EACCES", syscall: "open", path: "/x/lock" }), 2, false, "error: Cannot use /x/lock: permission denied (EACCES on open)"],
    ["access denied", aws("AccessDenied", "not authorized"), 2, false, "error: Access denied in lab s01's account"],
    ["expired credentials", aws("ExpiredToken"), 2, false, "error: The AWS credentials for lab s01 have expired"],
    ["a refusal", new RefusedError("already injected"), 1, false, "refused: already injected"],
    ["a bug", new Error("undefined is not a function"), 1, false, "netlab internal error (not your input; please report it)"],
  ])("%s", (_name, error, code, couldNotRun, message) => {
    const c = classifyError(error, "s01");
    expect([c.code, c.couldNotRun]).toEqual([code, couldNotRun]);
    expect(c.message.startsWith(message)).toBe(true);
  });
});

describe("a lab that could not be graded", () => {
  it("is inconclusive (3) when grading, and for an action too: one rule, could not tell is 3", () => {
    // GIVEN a class where one lab was throttled after every retry
    const outcomes = [{ lab: "s01", result: 1 }, { lab: "s02", error: aws("ThrottlingException", "Rate exceeded") }];
    // WHEN reported by check (grading) and by inject (an action)
    const check = bufferIo();
    const inject = bufferIo();
    // THEN check says the lab was not graded; inject says it could not tell; both exit 3
    expect(reportLabErrors(check, outcomes, { grading: true })).toBe(3);
    expect(check.stderr).toContain("lab s02: inconclusive, not graded: AWS kept throttling lab s02 after every retry");
    expect(reportLabErrors(inject, outcomes)).toBe(3);
    expect(inject.stderr).toContain("lab s02: inconclusive: AWS kept throttling lab s02");
  });

  it("keeps credentials and access problems at 2, and a bug at 1, even when grading", () => {
    const io = bufferIo();
    expect(reportLabErrors(io, [{ lab: "s01", error: aws("AccessDenied") }], { grading: true })).toBe(2);
    expect(reportLabErrors(io, [{ lab: "s01", error: new Error("bug") }], { grading: true })).toBe(1);
  });

  it("is explained in `lab check --help`", async () => {
    const io = bufferIo();
    expect(await run(["check", "--help"], io)).toBe(0);
    expect(io.stdout).toContain("3  inconclusive: a probe could not run");
    expect(io.stdout).toContain("or a lab's AWS calls failed (throttled after every\n     retry, AWS out of reach): that lab was not graded");
    expect(io.stdout).toContain("2  bad input, configuration or credentials (no credentials, expired, access denied)");
  });
});
