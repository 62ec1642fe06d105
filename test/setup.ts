import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import "aws-sdk-client-mock-jest";

// On Node 20 the AWS SDK warns, once per module registry (so once per test file here), that its releases after
// January 2027 need Node 22. That is the SDK's notice to whoever upgrades the lockfile (README, Development;
// CI runs the suite on Node 22 as well), not a result of a test. This is the SDK's own switch for that one
// notice (emitWarningIfUnsupportedVersion in @aws-sdk/core); every other warning still shows.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

// Registers toHaveResource / toHaveResourceWithProperties for every test file.
Testing.setupJest();
