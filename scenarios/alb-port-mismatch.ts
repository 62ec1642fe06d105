import type { Scenario } from "./types";
import { ALB_TARGET_GROUP, allTargetsHealthy } from "./shared-checks";

const instance = "DMZVPC-Private-A-10.11.20.102";

/** Seed 001: one target re-registered on a port nothing listens on (and the SG does not admit). */
export const albPortMismatch: Scenario = {
  id: "alb-port-mismatch",
  title: { en: "One target fails its health check", ko: "대상 하나가 헬스 체크에 실패합니다" },
  seed: "001",
  brief: {
    en: "After last night's maintenance, one target of DMZVPC-TG-web stays unhealthy while the other three are fine. Its web server is running and nobody changed its security groups. Make the web tier healthy again.",
    ko: "어젯밤 점검 작업 이후 DMZVPC-TG-web의 대상 하나가 계속 unhealthy 상태이고, 나머지 3개는 정상입니다. 해당 서버의 웹 서비스는 실행 중이고 보안 그룹도 바뀌지 않았습니다. 웹 계층을 다시 정상으로 만드세요.",
  },
  hints: [
    {
      en: "Compare the unhealthy target's row in the Targets tab with a healthy one, column by column.",
      ko: "대상(Targets) 탭에서 unhealthy 대상의 행을 정상 대상의 행과 항목별로 비교해 보세요.",
    },
    {
      en: "By default the health check goes to the traffic port: the port the target is registered on.",
      ko: "헬스 체크는 기본적으로 traffic port, 즉 대상이 등록된 포트로 갑니다.",
    },
  ],
  inject: [
    { kind: "deregister-target", targetGroup: ALB_TARGET_GROUP, instance, port: 80 },
    { kind: "register-target", targetGroup: ALB_TARGET_GROUP, instance, port: 8080 },
  ],
  solve: [
    { kind: "deregister-target", targetGroup: ALB_TARGET_GROUP, instance, port: 8080 },
    { kind: "register-target", targetGroup: ALB_TARGET_GROUP, instance, port: 80 },
  ],
  effects: [{ kind: "web-target", to: instance }],
  checks: [
    {
      id: "web-a2-registered-on-port-80",
      kind: "target-registered",
      targetGroup: ALB_TARGET_GROUP,
      instance,
      port: 80,
      title: { en: `${instance} is registered in ${ALB_TARGET_GROUP} on port 80 only`, ko: `${instance} 인스턴스가 ${ALB_TARGET_GROUP}에 80번 포트로만 등록되어 있습니다` },
      hint: {
        en: "On which port does the web server of that instance listen, and on which port is the target registered?",
        ko: "그 인스턴스의 웹 서버는 어느 포트에서 대기하고 있고, 대상은 어느 포트로 등록되어 있나요?",
      },
    },
    allTargetsHealthy,
  ],
};
