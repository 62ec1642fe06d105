jest.mock("@aws-sdk/credential-providers", () => ({
  fromIni: jest.fn(() => async () => ({ accessKeyId: "FROM-INI", secretAccessKey: "s" })),
  fromTemporaryCredentials: jest.fn(() => async () => ({ accessKeyId: "FROM-ROLE", secretAccessKey: "s", sessionToken: "t" })),
}));

import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { createAwsClients, destroyClients, type AwsClients } from "../../../cloud/aws/clients";

const ini = fromIni as jest.Mock;
const role = fromTemporaryCredentials as jest.Mock;
/** The access key every client of `c` would sign with. */
const keysOf = async (c: AwsClients) => Promise.all(Object.values(c).map(async (client) => (await (client.config.credentials as () => Promise<{ accessKeyId: string }>)()).accessKeyId));

beforeEach(() => jest.clearAllMocks());

describe("a participant's credentials", () => {
  it("uses the shared config profile when the participant has a profile", async () => {
    // GIVEN a participant with a profile / WHEN its clients are made
    const c = createAwsClients({ id: "s01", profile: "class-s01" }, "ap-northeast-2");
    // THEN fromIni was asked for that profile, and every client signs with what it returns, in the lab's region
    expect(ini).toHaveBeenCalledWith({ profile: "class-s01" });
    expect(role).not.toHaveBeenCalled();
    expect(new Set(await keysOf(c))).toEqual(new Set(["FROM-INI"]));
    expect(await c.ec2.config.region()).toBe("ap-northeast-2");
    destroyClients(c);
  });

  it("assumes the participant's role, named for the lab, in the lab's region, when it has a roleArn", async () => {
    const c = createAwsClients({ id: "s02", roleArn: "arn:aws:iam::222222222222:role/netlab-instructor" }, "us-east-1");
    expect(role).toHaveBeenCalledWith({ params: { RoleArn: "arn:aws:iam::222222222222:role/netlab-instructor", RoleSessionName: "netlab-s02" }, clientConfig: { region: "us-east-1" } });
    expect(ini).not.toHaveBeenCalled();
    expect(new Set(await keysOf(c))).toEqual(new Set(["FROM-ROLE"]));
    destroyClients(c);
  });

  it("leaves the SDK's default chain alone when the participant names neither", () => {
    const c = createAwsClients({ id: "s03" }, "us-east-1");
    expect(ini).not.toHaveBeenCalled();
    expect(role).not.toHaveBeenCalled();
    destroyClients(c);
  });
});
