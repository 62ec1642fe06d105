import type { Scenario } from "./types";

const logGroup = "/aws/vpc/flowlogs";

/** Seed 004: VPC02 no longer writes flow logs. */
export const flowLogsOff: Scenario = {
  id: "flow-logs-off",
  title: { en: "A VPC went dark in the flow logs", ko: "Flow Logs에서 VPC 하나가 사라졌습니다" },
  seed: "004",
  brief: {
    en: `The security team's queries on the ${logGroup} log group no longer return any record from one of the lab's VPCs. Find which VPC stopped logging and make it log again: all traffic, to the same log group. Your permissions let you create a flow log only with the tag \`netlab:lab\` set to your lab's id (the value the VPC's own \`netlab:lab\` tag has).`,
    ko: `보안팀이 ${logGroup} 로그 그룹에서 쿼리를 실행하면 랩의 VPC 하나에서 더 이상 기록이 나오지 않습니다. 어느 VPC가 로그를 남기지 않는지 찾아, 모든 트래픽을 같은 로그 그룹에 다시 기록하도록 만드세요. 권한상 Flow Logs는 \`netlab:lab\` 태그에 랩 ID(VPC의 \`netlab:lab\` 태그와 같은 값)를 넣어야만 만들 수 있습니다.`,
  },
  hints: [
    {
      en: `In CloudWatch Logs, the streams of ${logGroup} are named after network interfaces. Which interfaces stopped getting new events?`,
      ko: `CloudWatch Logs에서 ${logGroup}의 로그 스트림은 네트워크 인터페이스 ID로 이름이 붙습니다. 새 이벤트가 더 이상 들어오지 않는 인터페이스는 무엇인가요?`,
    },
    {
      en: "Each VPC has a Flow logs tab in the VPC console.",
      ko: "VPC 콘솔에서 각 VPC의 흐름 로그(Flow logs) 탭을 확인해 보세요.",
    },
    {
      en: "A flow log that publishes to CloudWatch Logs needs an IAM role the service can assume; the lab already has one.",
      ko: "CloudWatch Logs로 게시하는 Flow Logs에는 서비스가 수임할 IAM 역할이 필요합니다. 랩에 이미 만들어져 있습니다.",
    },
  ],
  inject: [{ kind: "delete-flow-log", vpc: "VPC02" }],
  solve: [{ kind: "create-flow-log", vpc: "VPC02", logGroup, trafficType: "ALL" }],
  effects: [{ kind: "flow-log", from: "VPC02" }],
  checks: [
    {
      id: "every-lab-vpc-has-an-active-flow-log",
      kind: "flow-log-active",
      vpcs: "all",
      logGroup,
      trafficType: "ALL",
      title: {
        en: `Every lab VPC has an active flow log of all traffic to ${logGroup}`,
        ko: `모든 랩 VPC에 모든 트래픽을 ${logGroup}로 기록하는 활성 Flow Logs가 있습니다`,
      },
      hint: {
        en: "Look at the five VPCs one by one, or run `aws ec2 describe-flow-logs` and compare its resource ids with the VPC ids.",
        ko: "VPC 5개를 하나씩 보거나, `aws ec2 describe-flow-logs`를 실행해 리소스 ID를 VPC ID와 비교해 보세요.",
      },
    },
  ],
};
