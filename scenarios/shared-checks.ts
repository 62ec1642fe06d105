import type { CheckSpec, EgressVia } from "../checks/types";

/** `<who>` reaches the internet, and the egress IP proves the path it took. */
export function reachesInternetVia(id: string, from: string, via: EgressVia, path: { en: string; ko: string }): CheckSpec {
  return {
    id,
    kind: "http",
    from,
    probe: { kind: "http", to: "internet" },
    expectStatus: 200,
    egressVia: via,
    title: { en: `${from} reaches the internet through ${path.en}`, ko: `${from} 인스턴스가 ${path.ko}를 거쳐 인터넷에 연결됩니다` },
    hint: {
      en: `Follow a packet from ${from}: which route table does its subnet use, where does 0.0.0.0/0 go, and can the reply come back the same way?`,
      ko: `${from}에서 나가는 패킷을 따라가 보세요. 서브넷이 어떤 라우팅 테이블을 쓰는지, 0.0.0.0/0이 어디로 가는지, 응답이 같은 길로 돌아올 수 있는지 확인하세요.`,
    },
  };
}

export const ALB_TARGET_GROUP = "DMZVPC-TG-web";

export const allTargetsHealthy: CheckSpec = {
  id: "alb-targets-all-healthy",
  kind: "target-health",
  targetGroup: ALB_TARGET_GROUP,
  expect: "healthy",
  minTargets: 4,
  title: { en: "All four targets of DMZVPC-TG-web are healthy", ko: "DMZVPC-TG-web의 대상 4개가 모두 healthy 상태입니다" },
  hint: {
    en: "Open the target group's Targets tab: what state and reason does each target show? A health check needs the instance running, a path from the ALB, and a service on the registered port.",
    ko: "대상 그룹의 대상(Targets) 탭을 열어 각 대상의 상태와 사유를 보세요. 헬스 체크가 성공하려면 인스턴스가 실행 중이고, ALB에서 가는 길이 열려 있고, 등록된 포트에서 서비스가 응답해야 합니다.",
  },
};
