import type { Scenario } from "./types";
import { reachesInternetVia } from "./shared-checks";

const dmz = { natGatewaysOfVpc: "DMZVPC" };
const path = { en: "the TGW and a DMZ NAT gateway", ko: "TGW와 DMZ NAT 게이트웨이" };

export const tgwDefaultRoute: Scenario = {
  id: "tgw-default-route",
  title: { en: "VPC02 lost the internet", ko: "VPC02의 인터넷 연결 장애" },
  seed: "000",
  brief: {
    en: "Since this morning, neither instance of VPC02 (VPC02-Private-A-10.2.20.101, VPC02-Private-B-10.2.24.101) can reach the internet: package updates and external APIs time out. VPC01 is fine. Find the cause and restore internet access without giving the instances public IPs.",
    ko: "오늘 아침부터 VPC02의 두 인스턴스(VPC02-Private-A-10.2.20.101, VPC02-Private-B-10.2.24.101)가 인터넷에 연결되지 않습니다. 패키지 업데이트와 외부 API 호출이 타임아웃됩니다. VPC01은 정상입니다. 원인을 찾아, 인스턴스에 퍼블릭 IP를 주지 않고 인터넷 연결을 복구하세요.",
  },
  hints: [
    { en: "Compare VPC02 with VPC01, which still works: instances, security groups, route tables.", ko: "아직 정상인 VPC01과 VPC02를 비교해 보세요. 인스턴스, 보안 그룹, 라우팅 테이블 순서로요." },
    { en: "In this lab, spoke VPCs have no internet gateway: their traffic leaves through the transit gateway to the DMZ.", ko: "이 랩의 스포크 VPC에는 인터넷 게이트웨이가 없습니다. 트래픽은 Transit Gateway를 거쳐 DMZ로 나갑니다." },
    { en: "Look at every route of VPC02-Private-Subnet-A-RT and -B-RT. What matches 8.8.8.8?", ko: "VPC02-Private-Subnet-A-RT와 -B-RT의 경로를 하나씩 보세요. 8.8.8.8과 일치하는 경로가 있나요?" },
  ],
  inject: [
    { kind: "delete-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0" },
    { kind: "delete-route", routeTable: "VPC02-Private-Subnet-B-RT", destination: "0.0.0.0/0" },
  ],
  solve: [
    { kind: "create-route", routeTable: "VPC02-Private-Subnet-A-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } },
    { kind: "create-route", routeTable: "VPC02-Private-Subnet-B-RT", destination: "0.0.0.0/0", target: { kind: "tgw", name: "netlab-tgw" } },
  ],
  checks: [
    reachesInternetVia("vpc02-a-reaches-internet-via-dmz-nat", "VPC02-Private-A-10.2.20.101", dmz, path),
    reachesInternetVia("vpc02-b-reaches-internet-via-dmz-nat", "VPC02-Private-B-10.2.24.101", dmz, path),
  ],
};
