import type { Scenario } from "./types";
import { reachesInternetVia } from "./shared-checks";

const nat = "NAT-Instance";
const via = { instancePublicIp: nat };
const path = { en: "the NAT instance", ko: "NAT 인스턴스" };
const lookInside = {
  en: "If the VPC's routes and the instance's settings look right, look inside NAT-Instance: what happens to a packet from 10.10.2.0/24 on its way out?",
  ko: "VPC의 경로와 인스턴스 설정이 정상으로 보인다면 NAT-Instance 안을 보세요. 10.10.2.0/24에서 온 패킷은 밖으로 나가면서 어떻게 처리되나요?",
};

/** Seed 002: the MASQUERADE rule is flushed inside the NAT instance's OS (by SSM on AWS). */
export const natInstanceMasquerade: Scenario = {
  id: "nat-instance-masquerade",
  title: { en: "The NAT instance no longer takes anyone out", ko: "NAT 인스턴스를 거쳐 나가는 통신이 끊겼습니다" },
  seed: "002",
  brief: {
    en: "Private-EC2-1 and Private-EC2-2 in NATInstance-VPC1 lost the internet overnight. NAT-Instance is running and answers ping from them. Restore their internet access through the NAT instance, in a way that still works after NAT-Instance reboots.",
    ko: "NATInstance-VPC1의 Private-EC2-1과 Private-EC2-2가 밤사이 인터넷 연결을 잃었습니다. NAT-Instance는 실행 중이고 두 인스턴스의 ping에도 응답합니다. NAT 인스턴스를 통한 인터넷 연결을 복구하세요. NAT-Instance를 재부팅한 뒤에도 계속 동작해야 합니다.",
  },
  hints: [
    {
      en: "Check the control plane first: route table, security groups, source/dest check. If all of it is right, the fault is inside the OS; Session Manager gives you a shell on NAT-Instance.",
      ko: "먼저 컨트롤 플레인(라우팅 테이블, 보안 그룹, 소스/대상 확인)을 점검하세요. 모두 정상이라면 문제는 OS 안에 있습니다. Session Manager로 NAT-Instance에 셸을 열 수 있습니다.",
    },
    {
      en: "A Linux NAT needs two things: packet forwarding, and source address translation on the interface that leads out.",
      ko: "리눅스로 NAT를 하려면 두 가지가 필요합니다. 패킷 포워딩, 그리고 밖으로 나가는 인터페이스에서의 출발지 주소 변환입니다.",
    },
    {
      en: "`sudo iptables -t nat -S POSTROUTING` shows the rules in memory. On Amazon Linux 2023, what makes a rule survive a reboot?",
      ko: "`sudo iptables -t nat -S POSTROUTING`으로 메모리에 있는 규칙을 볼 수 있습니다. Amazon Linux 2023에서 규칙이 재부팅 후에도 남으려면 무엇이 필요할까요?",
    },
  ],
  inject: [{ kind: "set-os-state", instance: nat, key: "masquerade", value: false }],
  solve: [{ kind: "set-os-state", instance: nat, key: "masquerade", value: true }],
  // The private instances lose their way out (the internet, and the internet-facing ALB through it).
  effects: [
    { kind: "internet", from: "Private-EC2-*" },
    { kind: "alb", from: "Private-EC2-*" },
  ],
  checks: [
    reachesInternetVia({ id: "private-ec2-1-reaches-internet-via-nat-instance", from: "Private-EC2-1", via, path, hint: lookInside }),
    reachesInternetVia({ id: "private-ec2-2-reaches-internet-via-nat-instance", from: "Private-EC2-2", via, path, hint: lookInside }),
    {
      id: "nat-instance-masquerade-survives-reboot",
      kind: "os-state",
      instance: nat,
      expect: { masquerade: true, masqueradeSaved: true },
      title: {
        en: "NAT-Instance masquerades, and the rule is saved for the next boot",
        ko: "NAT-Instance에 MASQUERADE 규칙이 적용되어 있고, 다음 부팅을 위해 저장되어 있습니다",
      },
      hint: { en: "A rule that exists only in memory is gone after the next reboot.", ko: "메모리에만 있는 규칙은 다음 재부팅 때 사라집니다." },
    },
  ],
};
