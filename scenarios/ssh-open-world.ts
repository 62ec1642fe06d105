import type { Scenario } from "./types";

const sshFromAnywhere = { protocol: "tcp" as const, fromPort: 22, toPort: 22, cidr: "0.0.0.0/0", description: "SSH from anywhere" };
const groups = ["VPC01-PrivateSG", "VPC02-PrivateSG", "DMZVPC-PrivateSG"];
/**
 * Every lab VPC with instances, and the first instance of each in the plan: Session Manager must still reach
 * every one (the catalogue test keeps this list equal to what LAB_TOPOLOGY gives).
 */
const probedVpcs = ["VPC01", "VPC02", "DMZVPC", "mgmtvpc", "NATInstance-VPC1"];
const probedPerVpc = ["VPC01-Private-A-10.1.20.101", "VPC02-Private-A-10.2.20.101", "DMZVPC-Private-A-10.11.20.101", "mgmtvpc-Workstation-10.254.0.101", "NAT-Instance"];

/**
 * Seeds 001 (security audit), 003: SSH opened to the world on several lab SGs. The CLI filter of hint 2:
 * https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-security-groups.html
 */
export const sshOpenWorld: Scenario = {
  id: "ssh-open-world",
  title: { en: "Security audit: SSH open to the world", ko: "보안 점검: 전 세계에 열린 SSH" },
  seed: "001, 003",
  brief: {
    en: "A security audit flags the lab: some of its security groups admit SSH (22/tcp) from 0.0.0.0/0. This lab is administered with Session Manager, not SSH. Close every such opening without breaking Session Manager.",
    ko: "보안 점검에서 이 랩이 지적을 받았습니다. 일부 보안 그룹이 0.0.0.0/0에서 들어오는 SSH(22/tcp)를 허용하고 있습니다. 이 랩은 SSH가 아니라 Session Manager로 관리합니다. Session Manager는 그대로 동작하도록 하면서, 이렇게 열린 규칙을 모두 닫으세요.",
  },
  hints: [
    {
      en: "List every security group of the lab with its inbound rules, and look for port 22.",
      ko: "랩의 모든 보안 그룹과 인바운드 규칙을 나열하고 22번 포트를 찾아보세요.",
    },
    {
      en: "From the CLI: `aws ec2 describe-security-groups --filters Name=ip-permission.cidr,Values=0.0.0.0/0`. Mind rules that cover port 22 in a range or as all traffic.",
      ko: "CLI에서는 `aws ec2 describe-security-groups --filters Name=ip-permission.cidr,Values=0.0.0.0/0`으로 찾을 수 있습니다. 포트 범위나 모든 트래픽 규칙에 22번 포트가 포함되는 경우도 놓치지 마세요.",
    },
    {
      en: "Session Manager needs outbound HTTPS from the instances to the SSM endpoints, not inbound SSH.",
      ko: "Session Manager에 필요한 것은 인바운드 SSH가 아니라 인스턴스에서 SSM 엔드포인트로 나가는 HTTPS입니다.",
    },
  ],
  inject: groups.map((securityGroup) => ({ kind: "authorize-sg-rule" as const, securityGroup, direction: "ingress" as const, rule: sshFromAnywhere })),
  solve: groups.map((securityGroup) => ({ kind: "revoke-sg-rule" as const, securityGroup, direction: "ingress" as const, rule: sshFromAnywhere })),
  // An opening, not a break: nothing that worked stops working (the checks grade the opening itself).
  effects: [],
  checks: [
    {
      id: "no-lab-sg-admits-ssh-from-world",
      kind: "sg-rule",
      securityGroups: "all",
      direction: "ingress",
      rule: { protocol: "tcp", port: 22, cidr: "0.0.0.0/0" },
      expect: "absent",
      title: { en: "No security group of the lab admits 22/tcp from 0.0.0.0/0", ko: "랩의 어떤 보안 그룹도 0.0.0.0/0에서 들어오는 22/tcp를 허용하지 않습니다" },
      hint: {
        en: "Check every group of every lab VPC, the NAT instance's VPC included; a rule for all traffic admits port 22 too.",
        ko: "NAT 인스턴스 VPC까지 포함해 모든 랩 VPC의 모든 보안 그룹을 확인하세요. 모든 트래픽을 허용하는 규칙도 22번 포트를 허용합니다.",
      },
    },
    {
      id: "session-manager-still-works",
      kind: "ssm-reachable",
      instances: probedPerVpc,
      title: {
        en: `Session Manager still reaches an instance in each lab VPC (${probedVpcs.join(", ")})`,
        ko: `Session Manager로 랩의 모든 VPC(${probedVpcs.join(", ")})의 인스턴스에 여전히 접속할 수 있습니다`,
      },
      hint: {
        en: "Did one of your changes touch port 443, the endpoints' security groups, or the instances' outbound rules?",
        ko: "변경한 내용 중에 443번 포트, 엔드포인트의 보안 그룹, 인스턴스의 아웃바운드 규칙을 건드린 것이 있나요?",
      },
    },
  ],
};
