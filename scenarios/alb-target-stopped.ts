import type { Scenario } from "./types";
import { allTargetsHealthy } from "./shared-checks";

const instance = "DMZVPC-Private-B-10.11.24.102";

/** Seed 001: one web target is stopped; the ALB quietly serves from three. */
export const albTargetStopped: Scenario = {
  id: "alb-target-stopped",
  title: { en: "The web tier is one server short", ko: "웹 서버 한 대가 빠졌습니다" },
  seed: "001",
  brief: {
    en: "The site behind DMZVPC-alb1 still answers, but monitoring says only three of the four web servers take traffic. Find out which one dropped out and why, and bring the web tier back to four healthy targets.",
    ko: "DMZVPC-alb1 뒤의 사이트는 응답하지만, 모니터링을 보면 웹 서버 4대 중 3대만 트래픽을 받고 있습니다. 어느 서버가 빠졌는지, 왜 빠졌는지 찾아서 웹 계층을 정상 대상 4대로 되돌리세요.",
  },
  hints: [
    {
      en: "The target group shows each target's state and, when it is not healthy, a reason code.",
      ko: "대상 그룹에서 각 대상의 상태를 볼 수 있고, 정상이 아니면 사유 코드도 함께 표시됩니다.",
    },
    {
      en: "A target shown as `unused` (Target.InvalidState) rather than `unhealthy` is not failing its health check: it cannot be checked at all.",
      ko: "`unhealthy`가 아니라 `unused`(Target.InvalidState)로 표시되는 대상은 헬스 체크에 실패한 것이 아니라 아예 검사를 받을 수 없는 상태입니다.",
    },
    {
      en: "Look at the instance behind that target in the EC2 console.",
      ko: "그 대상에 해당하는 인스턴스를 EC2 콘솔에서 확인해 보세요.",
    },
  ],
  inject: [{ kind: "stop-instance", instance }],
  solve: [{ kind: "start-instance", instance }],
  // A stopped instance answers nothing and sends nothing: every path from and to it, its target, its agent.
  effects: [
    { kind: "reach", from: instance },
    { kind: "reach", to: instance },
    { kind: "internet", from: instance },
    { kind: "alb", from: instance },
    { kind: "web-target", to: instance },
    { kind: "ssm", from: instance },
  ],
  checks: [
    allTargetsHealthy,
    {
      id: "alb-serves-four-distinct-instances",
      kind: "http",
      from: "mgmtvpc-Workstation-10.254.0.101",
      probe: { kind: "http", to: "alb", path: "/ec2meta-webpage/index.php", requests: 24 },
      expectStatus: 200,
      // The web tier's page shows the id of the instance that served it: the ALB reached the web tier.
      expectBodyContains: "instance-id: i-",
      minDistinctServers: 4,
      title: { en: "DMZVPC-alb1 spreads requests over four different instances", ko: "DMZVPC-alb1이 요청을 서로 다른 인스턴스 4대에 분산합니다" },
      hint: {
        en: "Load /ec2meta-webpage/index.php through the ALB several times and note which instance ids answer.",
        ko: "ALB 주소로 /ec2meta-webpage/index.php를 여러 번 열어 보고, 어떤 인스턴스 ID가 응답하는지 적어 보세요.",
      },
    },
  ],
};
