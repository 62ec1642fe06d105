import type { CheckSpec, EgressVia, Localized } from "../checks/types";

/** The lab's one target group (LAB_TOPOLOGY.alb.targetGroup.name). */
export const ALB_TARGET_GROUP = "DMZVPC-TG-web";

const followThePacket = (from: string): Localized => ({
  en: `Follow a packet from ${from}: which route table does its subnet use, where does it send 0.0.0.0/0, and can the reply come back the same way?`,
  ko: `${from}에서 나가는 패킷을 따라가 보세요. 서브넷이 어떤 라우팅 테이블을 쓰는지, 0.0.0.0/0을 어디로 보내는지, 응답이 같은 길로 돌아올 수 있는지 확인하세요.`,
});

/** Options of {@link reachesInternetVia}. */
export interface ReachesInternetViaProps {
  /** States what must be true, e.g. `vpc02-a-reaches-internet-via-dmz-nat`. */
  id: string;
  /** Instance Name the probe runs on. */
  from: string;
  /** The public addresses a correct path leaves from. */
  via: EgressVia;
  /** The path in words, for the title ("the TGW and a DMZ NAT gateway"); the Korean ends in a vowel (it takes 를). */
  path: Localized;
  /** @default a hint that follows the packet from `from` through its route table */
  hint?: Localized;
}

/** `from` reaches the internet (HTTP 200), and its egress IP proves the path it took. */
export function reachesInternetVia(props: ReachesInternetViaProps): CheckSpec {
  const { id, from, via, path } = props;
  return {
    id,
    kind: "http",
    from,
    probe: { kind: "http", to: "internet" },
    expectStatus: 200,
    egressVia: via,
    title: { en: `${from} reaches the internet through ${path.en}`, ko: `${from} 인스턴스가 ${path.ko}를 거쳐 인터넷에 연결됩니다` },
    hint: props.hint ?? followThePacket(from),
  };
}

/** Every registered target of the ALB's target group is healthy, and there are four of them. */
export const allTargetsHealthy: CheckSpec = {
  id: "alb-targets-all-healthy",
  kind: "target-health",
  targetGroup: ALB_TARGET_GROUP,
  expect: "healthy",
  minTargets: 4,
  title: { en: `All four targets of ${ALB_TARGET_GROUP} are healthy`, ko: `${ALB_TARGET_GROUP}의 대상 4개가 모두 healthy 상태입니다` },
  hint: {
    en: "Open the target group's Targets tab: what state and reason does each target show? A target passes its health check only if it runs, the ALB can reach it on the registered port, and something answers there.",
    ko: "대상 그룹의 대상(Targets) 탭에서 각 대상의 상태와 사유를 확인하세요. 헬스 체크를 통과하려면 인스턴스가 실행 중이고, ALB가 등록된 포트로 접근할 수 있고, 그 포트에서 응답하는 서비스가 있어야 합니다.",
  },
};
