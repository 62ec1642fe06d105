import "cdktf/lib/testing/adapters/jest";
import "aws-sdk-client-mock-jest";
