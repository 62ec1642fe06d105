import type { Scenario } from "./types";

export const dnsPrivateZone: Scenario = {
  id: "dns-private-zone",
  title: { en: "Internal names stopped resolving in VPC02", ko: "VPC02에서 내부 도메인 이름이 조회되지 않습니다" },
  seed: "001",
  brief: {
    en: "Applications in VPC02 fail with 'unknown host' for names like vpc01-a.netlab.internal and web-b2.netlab.internal. The same names resolve fine from VPC01 and the workstation, and IP addresses still work. Restore name resolution in VPC02.",
    ko: "VPC02의 애플리케이션이 vpc01-a.netlab.internal, web-b2.netlab.internal 같은 이름에 대해 'unknown host' 오류를 냅니다. 같은 이름이 VPC01과 워크스테이션에서는 잘 조회되고, IP 주소로는 여전히 통신됩니다. VPC02의 이름 조회를 복구하세요.",
  },
  hints: [
    { en: "The names live in a Route 53 private hosted zone. Who can see a private zone?", ko: "이 이름들은 Route 53 프라이빗 호스팅 영역에 있습니다. 프라이빗 영역은 누가 볼 수 있나요?" },
    { en: "Compare the zone's VPC list with the lab's VPCs.", ko: "호스팅 영역에 연결된 VPC 목록과 랩의 VPC 목록을 비교해 보세요." },
  ],
  inject: [{ kind: "disassociate-zone", zone: "netlab.internal", vpc: "VPC02" }],
  solve: [{ kind: "associate-zone", zone: "netlab.internal", vpc: "VPC02" }],
  checks: [
    {
      id: "vpc02-a-resolves-vpc01-a",
      kind: "dns",
      from: "VPC02-Private-A-10.2.20.101",
      name: "vpc01-a.netlab.internal",
      expectIp: "10.1.20.101",
      title: { en: "vpc01-a.netlab.internal resolves to 10.1.20.101 from VPC02-Private-A-10.2.20.101", ko: "VPC02-Private-A-10.2.20.101에서 vpc01-a.netlab.internal이 10.1.20.101로 조회됩니다" },
      hint: { en: "Try `getent hosts vpc01-a.netlab.internal` on the instance and compare with VPC01.", ko: "인스턴스에서 `getent hosts vpc01-a.netlab.internal`을 실행하고 VPC01과 비교해 보세요." },
    },
    {
      id: "vpc02-b-resolves-web-b2",
      kind: "dns",
      from: "VPC02-Private-B-10.2.24.101",
      name: "web-b2.netlab.internal",
      expectIp: "10.11.24.102",
      title: { en: "web-b2.netlab.internal resolves to 10.11.24.102 from VPC02-Private-B-10.2.24.101", ko: "VPC02-Private-B-10.2.24.101에서 web-b2.netlab.internal이 10.11.24.102로 조회됩니다" },
      hint: { en: "Private zones answer only inside the VPCs they are associated with.", ko: "프라이빗 영역은 연결된 VPC 안에서만 응답합니다." },
    },
    {
      id: "private-zone-associated-with-every-lab-vpc",
      kind: "zone-associated",
      zone: "netlab.internal",
      vpcs: ["VPC01", "VPC02", "DMZVPC", "mgmtvpc", "NATInstance-VPC1"],
      title: { en: "netlab.internal is associated with all five lab VPCs", ko: "netlab.internal이 랩의 VPC 5개 모두에 연결되어 있습니다" },
      hint: { en: "Look at the hosted zone's details in the Route 53 console.", ko: "Route 53 콘솔에서 호스팅 영역의 세부 정보를 확인하세요." },
    },
  ],
};
