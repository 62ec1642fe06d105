import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { HttpResponse } from "@smithy/protocol-http";
import { ConfiguredRetryStrategy } from "@smithy/util-retry";
import { Readable } from "node:stream";
import { createAwsClients } from "../../cloud/aws/clients";
import { classifyAwsError } from "../../cloud/aws/errors";

// No client mock in this file: the SDK's own retry middleware runs against a fake HTTP layer.
/** A client whose HTTP layer answers `failures` throttling errors, then a VPC (the real SDK retry middleware runs). */
function throttledEc2(failures: number) {
  let calls = 0;
  const client = new EC2Client({
    region: "ap-northeast-2",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    retryStrategy: new ConfiguredRetryStrategy(4, () => 1),
    requestHandler: {
      handle: async () => {
        calls++;
        const throttled = calls <= failures;
        const body = throttled
          ? "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r</RequestID></Response>"
          : '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>';
        return { response: new HttpResponse({ statusCode: throttled ? 503 : 200, headers: { "content-type": "text/xml" }, body: Readable.from([body]) }) };
      },
    },
  });
  return { client, calls: () => calls };
}

describe("R16 throttling", () => {
  it("R16 the SDK retries through throttling and succeeds", async () => {
    const t = throttledEc2(2);
    const out = await t.client.send(new DescribeVpcsCommand({}));
    expect(out.Vpcs?.[0]?.VpcId).toBe("vpc-1");
    expect(t.calls()).toBe(3);
  });

  it("R16 a throttling storm ends in one sentence for the lab, exit 3 (could not tell), and the class goes on", async () => {
    const t = throttledEc2(100);
    const err = await t.client.send(new DescribeVpcsCommand({})).catch((e: unknown) => e);
    expect(t.calls()).toBe(4);
    expect(classifyAwsError(err, "s07")).toEqual({ exitCode: 3, message: expect.stringContaining("AWS kept throttling lab s07 after every retry") });
  });

  it("R16 the participant's clients retry with backoff, adaptively where a class calls at once", async () => {
    const c = createAwsClients({ id: "s01", profile: "nobody" }, "ap-northeast-2");
    const read = async (v: unknown) => (typeof v === "function" ? await (v as () => Promise<unknown>)() : v);
    expect(await read(c.ec2.config.maxAttempts)).toBe(6);
    expect(await read(c.ec2.config.retryMode)).toBe("adaptive");
    expect(await read(c.ssm.config.retryMode)).toBe("adaptive");
    expect(await read(c.sts.config.retryMode)).toBe("standard");
  });
});
