import type { Scenario } from "./types";

export const flowLogsOff: Scenario = {
  id: "flow-logs-off",
  title: { en: "A VPC went dark in the flow logs", ko: "플로우 로그에서 VPC 하나가 사라졌습니다" },
  seed: "004",
  brief: {
    en: "The security team's queries on the /aws/vpc/flowlogs log group no longer return any record from one of the lab's VPCs. Find which VPC stopped logging and restore its flow log (all traffic, same log group).",
    ko: "보안팀이 /aws/vpc/flowlogs 로그 그룹에 쿼리를 실행하면 랩의 VPC 하나에서 더 이상 기록이 나오지 않습니다. 어느 VPC가 로그를 멈췄는지 찾아 플로우 로그(모든 트래픽, 같은 로그 그룹)를 복구하세요.",
  },
  hints: [
    { en: "Each VPC's Flow logs tab lists its flow logs.", ko: "각 VPC의 플로우 로그 탭에서 해당 VPC의 플로우 로그를 볼 수 있습니다." },
    { en: "A flow log to CloudWatch Logs needs an IAM role that the service can assume; the lab already has one.", ko: "CloudWatch Logs로 보내는 플로우 로그에는 서비스가 맡을 IAM 역할이 필요합니다. 랩에 이미 있습니다." },
  ],
  inject: [{ kind: "delete-flow-log", vpc: "VPC02" }],
  solve: [{ kind: "create-flow-log", vpc: "VPC02", logGroup: "/aws/vpc/flowlogs", trafficType: "ALL" }],
  checks: [
    {
      id: "every-lab-vpc-has-an-active-flow-log",
      kind: "flow-log-active",
      vpcs: "all",
      logGroup: "/aws/vpc/flowlogs",
      title: { en: "Every lab VPC has an active flow log to /aws/vpc/flowlogs", ko: "모든 랩 VPC에 /aws/vpc/flowlogs로 가는 활성 플로우 로그가 있습니다" },
      hint: { en: "Check the five VPCs one by one, or `aws ec2 describe-flow-logs`.", ko: "VPC 다섯 개를 하나씩 보거나 `aws ec2 describe-flow-logs`를 실행해 보세요." },
    },
  ],
};
