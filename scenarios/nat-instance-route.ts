import type { Scenario } from "./types";
import { reachesInternetVia } from "./shared-checks";

const via = { instancePublicIp: "NAT-Instance" };
const path = { en: "the NAT instance", ko: "NAT 인스턴스" };

export const natInstanceRoute: Scenario = {
  id: "nat-instance-route",
  title: { en: "Private-EC2 instances cannot get out", ko: "Private-EC2 인스턴스가 외부로 나가지 못합니다" },
  seed: "002",
  brief: {
    en: "In NATInstance-VPC1, Private-EC2-1 and Private-EC2-2 can no longer reach the internet. Their egress is supposed to go through NAT-Instance (10.10.1.100), which is running. Two things are wrong. Restore internet access through the NAT instance.",
    ko: "NATInstance-VPC1의 Private-EC2-1과 Private-EC2-2가 더 이상 인터넷에 연결되지 않습니다. 두 인스턴스의 외부 통신은 실행 중인 NAT-Instance(10.10.1.100)를 거쳐야 합니다. 잘못된 곳이 두 군데 있습니다. NAT 인스턴스를 통한 인터넷 연결을 복구하세요.",
  },
  hints: [
    { en: "Start with NATInstance-PrivateRouteTable1: where does 0.0.0.0/0 go?", ko: "NATInstance-PrivateRouteTable1부터 보세요. 0.0.0.0/0은 어디로 가나요?" },
    { en: "A route to an instance targets its network interface.", ko: "인스턴스로 가는 경로는 그 인스턴스의 네트워크 인터페이스를 대상으로 합니다." },
    { en: "EC2 drops packets that are not addressed to an instance unless one of its attributes is changed. Which one?", ko: "EC2는 인스턴스 자신에게 온 것이 아닌 패킷을 버립니다. 어떤 속성을 바꿔야 그렇지 않을까요?" },
  ],
  inject: [
    { kind: "delete-route", routeTable: "NATInstance-PrivateRouteTable1", destination: "0.0.0.0/0" },
    { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: true },
  ],
  solve: [
    { kind: "create-route", routeTable: "NATInstance-PrivateRouteTable1", destination: "0.0.0.0/0", target: { kind: "instance-eni", instance: "NAT-Instance" } },
    { kind: "set-source-dest-check", instance: "NAT-Instance", enabled: false },
  ],
  checks: [
    reachesInternetVia("private-ec2-1-reaches-internet-via-nat-instance", "Private-EC2-1", via, path),
    reachesInternetVia("private-ec2-2-reaches-internet-via-nat-instance", "Private-EC2-2", via, path),
  ],
};
