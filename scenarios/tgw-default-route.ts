import type { Scenario } from "./types";
import { reachesInternetVia } from "./shared-checks";

const routeTables = ["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"];
const via = { natGatewaysOfVpc: "DMZVPC" };
const path = { en: "the TGW and a DMZ NAT gateway", ko: "TGW와 DMZ NAT 게이트웨이" };

/** Seed 000: VPC02's default route to the transit gateway is gone. */
export const tgwDefaultRoute: Scenario = {
  id: "tgw-default-route",
  title: { en: "VPC02 lost the internet", ko: "VPC02의 인터넷 연결 장애" },
  seed: "000",
  brief: {
    en: "Since this morning, neither instance of VPC02 (VPC02-Private-A-10.2.20.101, VPC02-Private-B-10.2.24.101) can reach the internet: package updates and calls to external APIs time out. VPC01 is fine. Find the cause and restore internet access without giving the instances public IPs.",
    ko: "오늘 아침부터 VPC02의 두 인스턴스(VPC02-Private-A-10.2.20.101, VPC02-Private-B-10.2.24.101)에서 인터넷 연결이 되지 않습니다. 패키지 업데이트와 외부 API 호출이 모두 타임아웃됩니다. VPC01은 정상입니다. 원인을 찾아서, 인스턴스에 퍼블릭 IP를 붙이지 않고 인터넷 연결을 복구하세요.",
  },
  hints: [
    {
      en: "Compare VPC02 with VPC01, which still works: instances, security groups, route tables.",
      ko: "정상 동작하는 VPC01과 VPC02를 비교해 보세요. 인스턴스, 보안 그룹, 라우팅 테이블 순으로 보면 됩니다.",
    },
    {
      en: "The spoke VPCs of this lab have no internet gateway: their traffic leaves through the transit gateway and the DMZ.",
      ko: "이 랩의 스포크 VPC에는 인터넷 게이트웨이가 없습니다. 외부로 나가는 트래픽은 Transit Gateway와 DMZ를 거칩니다.",
    },
    {
      en: "Read every route of the route tables of VPC02's subnets. Which one would a packet to 8.8.8.8 match?",
      ko: "VPC02 서브넷에 연결된 라우팅 테이블의 경로를 하나씩 읽어 보세요. 8.8.8.8로 가는 패킷은 어느 경로와 일치하나요?",
    },
  ],
  inject: routeTables.map((routeTable) => ({ kind: "delete-route" as const, routeTable, destination: "0.0.0.0/0" })),
  solve: routeTables.map((routeTable) => ({
    kind: "create-route" as const,
    routeTable,
    destination: "0.0.0.0/0",
    target: { kind: "tgw" as const, name: "netlab-tgw" },
  })),
  // VPC02 loses every path out of the VPC (to the internet, the ALB, the other VPCs) and every reply into it.
  effects: [
    { kind: "reach", from: "VPC02-*" },
    { kind: "reach", to: "VPC02-*" },
    { kind: "internet", from: "VPC02-*" },
    { kind: "alb", from: "VPC02-*" },
  ],
  checks: [
    reachesInternetVia({ id: "vpc02-a-reaches-internet-via-dmz-nat", from: "VPC02-Private-A-10.2.20.101", via, path }),
    reachesInternetVia({ id: "vpc02-b-reaches-internet-via-dmz-nat", from: "VPC02-Private-B-10.2.24.101", via, path }),
  ],
};
