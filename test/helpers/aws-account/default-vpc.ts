import { emptySnapshot, type Snapshot } from "../../../network/snapshot";
import { hex } from "./account";

/**
 * The default VPC that a region of an account starts with: 172.31.0.0/16 with an internet gateway,
 * untagged. It counts against the VPC and internet gateway quotas, and DescribeVpcs marks it
 * `IsDefault`. https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html
 */
export function defaultVpc(region: string): Snapshot {
  const s = emptySnapshot("none", region, "aws");
  const vpcId = `vpc-${hex(`${region}|default-vpc`)}`;
  s.vpcs.push({ id: vpcId, name: "", cidr: "172.31.0.0/16", dnsSupport: true, dnsHostnames: true, tags: {} });
  s.internetGateways.push({ id: `igw-${hex(`${region}|default-igw`)}`, name: "", vpcId, tags: {} });
  return s;
}
