import type { Scenario } from "./types";
import { ALB_TARGET_GROUP, allTargetsHealthy } from "./shared-checks";

const target = "DMZVPC-Private-A-10.11.20.102";

export const albPortMismatch: Scenario = {
  id: "alb-port-mismatch",
  title: { en: "One target fails its health check", ko: "대상 하나가 헬스 체크에 실패합니다" },
  seed: "001",
  brief: {
    en: "After a maintenance window, one target of DMZVPC-TG-web stays unhealthy while the other three are fine. The web server on it runs and nobody changed its security groups. Make the web tier healthy again.",
    ko: "점검 작업 뒤 DMZVPC-TG-web의 대상 하나가 계속 unhealthy이고 나머지 셋은 정상입니다. 해당 서버의 웹 서비스는 실행 중이며 보안 그룹도 바뀌지 않았습니다. 웹 계층을 다시 정상으로 만드세요.",
  },
  hints: [
    { en: "Compare the unhealthy target's registration with the healthy ones, column by column.", ko: "unhealthy 대상의 등록 정보를 정상 대상과 항목별로 비교해 보세요." },
    { en: "The health check uses the traffic port: the port the target is registered on.", ko: "헬스 체크는 traffic port, 즉 대상이 등록된 포트를 사용합니다." },
  ],
  inject: [
    { kind: "deregister-target", targetGroup: ALB_TARGET_GROUP, instance: target, port: 80 },
    { kind: "register-target", targetGroup: ALB_TARGET_GROUP, instance: target, port: 8080 },
  ],
  solve: [
    { kind: "deregister-target", targetGroup: ALB_TARGET_GROUP, instance: target, port: 8080 },
    { kind: "register-target", targetGroup: ALB_TARGET_GROUP, instance: target, port: 80 },
  ],
  checks: [
    {
      id: "web-a2-registered-on-port-80",
      kind: "target-registered",
      targetGroup: ALB_TARGET_GROUP,
      instance: target,
      port: 80,
      title: { en: `${target} is registered on port 80 only`, ko: `${target}이 80 포트로만 등록되어 있습니다` },
      hint: { en: "Which port does httpd listen on?", ko: "httpd는 어느 포트에서 대기하고 있나요?" },
    },
    allTargetsHealthy,
  ],
};
