import type { Scenario } from "./types";

const ssh = { protocol: "tcp" as const, fromPort: 22, toPort: 22, cidr: "0.0.0.0/0", description: "SSH from anywhere" };
const groups = ["VPC01-PrivateSG", "VPC02-PrivateSG", "DMZVPC-PrivateSG"];

export const sshOpenWorld: Scenario = {
  id: "ssh-open-world",
  title: { en: "Security audit: SSH open to the world", ko: "보안 점검: 전 세계에 열린 SSH" },
  seed: "001",
  brief: {
    en: "A security audit flags the lab: several security groups admit SSH (22/tcp) from 0.0.0.0/0. This lab uses Session Manager, not SSH. Close every such opening without breaking Session Manager.",
    ko: "보안 점검에서 랩이 지적되었습니다. 여러 보안 그룹이 0.0.0.0/0에서 오는 SSH(22/tcp)를 허용합니다. 이 랩은 SSH가 아니라 Session Manager를 사용합니다. Session Manager를 망가뜨리지 않고 이런 규칙을 모두 없애세요.",
  },
  hints: [
    { en: "List every security group of the lab and its inbound rules; filter on port 22.", ko: "랩의 모든 보안 그룹과 인바운드 규칙을 나열하고 22번 포트로 걸러 보세요." },
    { en: "`aws ec2 describe-security-groups --filters Name=ip-permission.from-port,Values=22` finds them from the CLI.", ko: "CLI에서는 `aws ec2 describe-security-groups --filters Name=ip-permission.from-port,Values=22`로 찾을 수 있습니다." },
    { en: "Session Manager needs HTTPS from the instances to the SSM endpoints, not inbound SSH.", ko: "Session Manager에 필요한 것은 인바운드 SSH가 아니라 인스턴스에서 SSM 엔드포인트로 가는 HTTPS입니다." },
  ],
  inject: groups.map((securityGroup) => ({ kind: "authorize-sg-rule" as const, securityGroup, direction: "ingress" as const, rule: ssh })),
  solve: groups.map((securityGroup) => ({ kind: "revoke-sg-rule" as const, securityGroup, direction: "ingress" as const, rule: ssh })),
  checks: [
    {
      id: "no-lab-sg-admits-ssh-from-world",
      kind: "sg-rule",
      securityGroups: "all",
      direction: "ingress",
      rule: { protocol: "tcp", port: 22, cidr: "0.0.0.0/0" },
      expect: "absent",
      title: { en: "No security group of the lab admits 22/tcp from 0.0.0.0/0", ko: "랩의 어떤 보안 그룹도 0.0.0.0/0에서 오는 22/tcp를 허용하지 않습니다" },
      hint: { en: "Check every group of every lab VPC; a rule for all traffic also admits port 22.", ko: "모든 랩 VPC의 모든 보안 그룹을 확인하세요. 모든 트래픽을 허용하는 규칙도 22번 포트를 허용합니다." },
    },
    {
      id: "session-manager-still-works",
      kind: "ssm-reachable",
      instances: ["VPC01-Private-A-10.1.20.101", "VPC02-Private-A-10.2.20.101", "DMZVPC-Private-A-10.11.20.101"],
      title: { en: "Session Manager still reaches the instances of VPC01, VPC02 and DMZVPC", ko: "Session Manager로 VPC01, VPC02, DMZVPC의 인스턴스에 여전히 접속됩니다" },
      hint: { en: "Did a change touch the endpoints' security groups or port 443?", ko: "엔드포인트의 보안 그룹이나 443 포트를 건드린 변경이 있었나요?" },
    },
  ],
};
