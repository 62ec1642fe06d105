import type { Scenario } from "./types";
import { reachesInternetVia } from "./shared-checks";

const via = { instancePublicIp: "NAT-Instance" };
const path = { en: "the NAT instance", ko: "NAT 인스턴스" };

export const natInstanceMasquerade: Scenario = {
  id: "nat-instance-masquerade",
  title: { en: "The NAT instance forwards nothing useful", ko: "NAT 인스턴스가 제 역할을 못 합니다" },
  seed: "002",
  brief: {
    en: "Private-EC2-1 and Private-EC2-2 lost the internet, yet every route, security group and instance attribute in NATInstance-VPC1 looks right. Someone worked inside NAT-Instance last night. Repair it so that the repair also survives a reboot.",
    ko: "Private-EC2-1과 Private-EC2-2의 인터넷 연결이 끊겼지만, NATInstance-VPC1의 라우팅, 보안 그룹, 인스턴스 속성은 모두 정상으로 보입니다. 어젯밤 누군가 NAT-Instance 안에서 작업을 했습니다. 재부팅 후에도 유지되도록 복구하세요.",
  },
  hints: [
    { en: "When the control plane is right, look inside the OS: Session Manager gets you a shell on NAT-Instance.", ko: "컨트롤 플레인이 정상이라면 OS 안을 보세요. Session Manager로 NAT-Instance에 셸을 열 수 있습니다." },
    { en: "A NAT instance needs two things from Linux: forwarding, and address translation on its outgoing interface.", ko: "NAT 인스턴스는 리눅스에서 두 가지가 필요합니다. 패킷 포워딩, 그리고 나가는 인터페이스에서의 주소 변환입니다." },
    { en: "`sudo iptables -t nat -S POSTROUTING` — and what makes a rule survive a reboot on Amazon Linux 2023?", ko: "`sudo iptables -t nat -S POSTROUTING`을 실행해 보세요. Amazon Linux 2023에서 규칙이 재부팅 뒤에도 남으려면 무엇이 필요할까요?" },
  ],
  inject: [{ kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: false }],
  solve: [{ kind: "set-os-state", instance: "NAT-Instance", key: "masquerade", value: true }],
  checks: [
    reachesInternetVia("private-ec2-1-reaches-internet-via-nat-instance", "Private-EC2-1", via, path),
    reachesInternetVia("private-ec2-2-reaches-internet-via-nat-instance", "Private-EC2-2", via, path),
    {
      id: "nat-instance-masquerade-survives-reboot",
      kind: "os-state",
      instance: "NAT-Instance",
      expect: { masquerade: true, masqueradeSaved: true },
      title: { en: "NAT-Instance masquerades, and the rule is saved for the next boot", ko: "NAT-Instance에 MASQUERADE 규칙이 있고, 다음 부팅을 위해 저장되어 있습니다" },
      hint: { en: "A rule that exists only in memory is gone after the next reboot.", ko: "메모리에만 있는 규칙은 다음 재부팅 때 사라집니다." },
    },
  ],
};
