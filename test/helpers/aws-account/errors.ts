/**
 * An error shaped like the SDK's service exceptions: `name` is the AWS error code, `$metadata` and
 * `$fault` are set, so that the code under test classifies it as it would a real one.
 */
export function awsError(code: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name: code,
    Code: code,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status, requestId: "mock-request", attempts: 1, totalRetryDelay: 0 },
  });
}
