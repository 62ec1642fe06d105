import type { Scenario } from "./types";
import { allTargetsHealthy } from "./shared-checks";

const albRule = { protocol: "tcp" as const, fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG", description: "HTTP from the ALB" };

export const albSgBlocked: Scenario = {
  id: "alb-sg-blocked",
  title: { en: "502/503 from the ALB: every target unhealthy", ko: "ALB가 503을 반환: 모든 대상이 unhealthy" },
  seed: "001",
  brief: {
    en: "DMZVPC-alb1 answers every request with 503 and all four targets are unhealthy, although the web servers are running and serve their page locally. Restore the site. Do not open the web servers to the whole internet.",
    ko: "DMZVPC-alb1이 모든 요청에 503을 반환하고 대상 4개가 모두 unhealthy입니다. 웹 서버는 실행 중이고 로컬에서는 페이지가 정상입니다. 사이트를 복구하세요. 단, 웹 서버를 인터넷 전체에 열어서는 안 됩니다.",
  },
  hints: [
    { en: "What reason code do the unhealthy targets show? Timeout and failed checks point to different layers.", ko: "unhealthy 대상의 사유 코드는 무엇인가요? Timeout과 FailedHealthChecks는 서로 다른 계층을 가리킵니다." },
    { en: "Health checks come from the ALB's own network interfaces, which carry the ALB's security group.", ko: "헬스 체크는 ALB의 네트워크 인터페이스에서 출발하며, 그 인터페이스에는 ALB의 보안 그룹이 붙어 있습니다." },
    { en: "A security group rule can name another security group as its source.", ko: "보안 그룹 규칙의 소스로 다른 보안 그룹을 지정할 수 있습니다." },
  ],
  inject: [{ kind: "revoke-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: albRule }],
  solve: [{ kind: "authorize-sg-rule", securityGroup: "DMZVPC-PrivateSG", direction: "ingress", rule: albRule }],
  checks: [
    allTargetsHealthy,
    {
      id: "web-port-80-open-to-alb-sg",
      kind: "sg-rule",
      securityGroups: ["DMZVPC-PrivateSG"],
      direction: "ingress",
      rule: { protocol: "tcp", port: 80, peerSecurityGroup: "DMZVPC-ALB-SG" },
      expect: "present",
      title: { en: "The web targets admit port 80 from the ALB's security group", ko: "웹 대상이 ALB 보안 그룹으로부터 80 포트를 허용합니다" },
      hint: { en: "Which source would admit the ALB and nothing else?", ko: "ALB만 허용하고 나머지는 막으려면 소스를 무엇으로 지정해야 할까요?" },
    },
    {
      id: "web-port-80-not-open-to-world",
      kind: "sg-rule",
      securityGroups: ["DMZVPC-PrivateSG"],
      direction: "ingress",
      rule: { protocol: "tcp", port: 80, cidr: "0.0.0.0/0" },
      expect: "absent",
      title: { en: "The web targets do not admit port 80 from 0.0.0.0/0", ko: "웹 대상이 0.0.0.0/0에서 오는 80 포트를 허용하지 않습니다" },
      hint: { en: "The targets sit behind the ALB: nobody else needs to reach them directly.", ko: "대상은 ALB 뒤에 있습니다. 다른 누구도 직접 접근할 필요가 없습니다." },
    },
  ],
};
