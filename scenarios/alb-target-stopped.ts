import type { Scenario } from "./types";
import { allTargetsHealthy } from "./shared-checks";

export const albTargetStopped: Scenario = {
  id: "alb-target-stopped",
  title: { en: "The web tier is one server short", ko: "웹 서버 한 대가 빠졌습니다" },
  seed: "001",
  brief: {
    en: "Users report that the site behind DMZVPC-alb1 still answers, but monitoring says one of the four web servers no longer takes traffic. Find which one and why, and bring the web tier back to four healthy targets.",
    ko: "DMZVPC-alb1 뒤의 사이트는 응답하지만, 모니터링에 따르면 웹 서버 4대 중 1대가 더 이상 트래픽을 받지 않습니다. 어느 서버인지, 왜 그런지 찾아서 웹 계층을 정상 대상 4대로 되돌리세요.",
  },
  hints: [
    { en: "The target group shows each target's state and a reason code.", ko: "대상 그룹에서 각 대상의 상태와 사유 코드를 볼 수 있습니다." },
    { en: "A target that is `unused` with Target.InvalidState is not failing its health check: it cannot be checked at all.", ko: "`unused` 상태에 Target.InvalidState 사유인 대상은 헬스 체크에 실패한 것이 아니라, 아예 검사할 수 없는 상태입니다." },
    { en: "Look at the instance behind that target in the EC2 console.", ko: "그 대상에 해당하는 인스턴스를 EC2 콘솔에서 확인해 보세요." },
  ],
  inject: [{ kind: "stop-instance", instance: "DMZVPC-Private-B-10.11.24.102" }],
  solve: [{ kind: "start-instance", instance: "DMZVPC-Private-B-10.11.24.102" }],
  checks: [
    allTargetsHealthy,
    {
      id: "alb-serves-four-distinct-instances",
      kind: "http",
      from: "mgmtvpc-Workstation-10.254.0.101",
      probe: { kind: "http", to: "alb", path: "/ec2meta-webpage/index.php", requests: 24 },
      expectStatus: 200,
      minDistinctServers: 4,
      title: { en: "DMZVPC-alb1 spreads requests over four different instances", ko: "DMZVPC-alb1이 요청을 서로 다른 인스턴스 4대에 분산합니다" },
      hint: {
        en: "Reload /ec2meta-webpage/index.php through the ALB several times and note which instance ids answer.",
        ko: "ALB 주소로 /ec2meta-webpage/index.php를 여러 번 새로고침하며 어떤 인스턴스 ID가 응답하는지 기록해 보세요.",
      },
    },
  ],
};
