import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import "aws-sdk-client-mock-jest";

// Registers toHaveResource / toHaveResourceWithProperties for every test file.
Testing.setupJest();
