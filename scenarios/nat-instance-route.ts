import type { Scenario } from "./types";
import { reachesInternetVia } from "./shared-checks";

const routeTable = "NATInstance-PrivateRouteTable1";
const nat = "NAT-Instance";
const via = { instancePublicIp: nat };
const path = { en: "the NAT instance", ko: "NAT 인스턴스" };

/** Seed 002: the private route table lost its route to the NAT instance, and source/dest check is back on. */
export const natInstanceRoute: Scenario = {
  id: "nat-instance-route",
  title: { en: "The Private-EC2 instances cannot get out", ko: "Private-EC2 인스턴스가 외부로 나가지 못합니다" },
  seed: "002",
  brief: {
    en: "In NATInstance-VPC1, Private-EC2-1 and Private-EC2-2 can no longer reach the internet. Their traffic is meant to leave through NAT-Instance (10.10.1.100), which is running. Two things are wrong. Restore their internet access through the NAT instance.",
    ko: "NATInstance-VPC1의 Private-EC2-1과 Private-EC2-2가 더 이상 인터넷에 연결되지 않습니다. 두 인스턴스의 외부 트래픽은 실행 중인 NAT-Instance(10.10.1.100)를 거쳐 나가도록 되어 있습니다. 잘못된 곳은 두 군데입니다. NAT 인스턴스를 통한 인터넷 연결을 복구하세요.",
  },
  hints: [
    {
      en: "Follow a packet from Private-EC2-1 hop by hop: its subnet, that subnet's route table, NAT-Instance, the internet gateway.",
      ko: "Private-EC2-1에서 나가는 패킷을 한 단계씩 따라가 보세요. 서브넷, 그 서브넷의 라우팅 테이블, NAT-Instance, 인터넷 게이트웨이 순입니다.",
    },
    {
      en: "A route to an instance points at its network interface. Where does the private subnet's route table send 0.0.0.0/0?",
      ko: "인스턴스로 가는 경로는 그 인스턴스의 네트워크 인터페이스를 대상으로 합니다. 프라이빗 서브넷의 라우팅 테이블은 0.0.0.0/0을 어디로 보내나요?",
    },
    {
      en: "Even with a route, EC2 drops a packet that an instance neither sent nor is addressed to, unless one setting of that instance is changed. Which one?",
      ko: "경로가 있어도, EC2는 인스턴스가 보낸 것도 아니고 그 인스턴스가 목적지도 아닌 패킷은 버립니다. 인스턴스의 어떤 설정을 바꿔야 할까요?",
    },
  ],
  inject: [
    { kind: "delete-route", routeTable, destination: "0.0.0.0/0" },
    { kind: "set-source-dest-check", instance: nat, enabled: true },
  ],
  solve: [
    { kind: "create-route", routeTable, destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: nat } },
    { kind: "set-source-dest-check", instance: nat, enabled: false },
  ],
  // The private instances lose their way out (the internet, and the internet-facing ALB through it).
  effects: [
    { kind: "internet", from: "Private-EC2-*" },
    { kind: "alb", from: "Private-EC2-*" },
  ],
  checks: [
    reachesInternetVia({ id: "private-ec2-1-reaches-internet-via-nat-instance", from: "Private-EC2-1", via, path }),
    reachesInternetVia({ id: "private-ec2-2-reaches-internet-via-nat-instance", from: "Private-EC2-2", via, path }),
  ],
};
