import type { Scenario } from "./types";

const zone = "netlab.internal";

/** Seed 001 (internal DNS failure): the private zone is no longer associated with VPC02. */
export const dnsPrivateZone: Scenario = {
  id: "dns-private-zone",
  title: { en: "Internal names stopped resolving in VPC02", ko: "VPC02에서 내부 도메인 이름이 조회되지 않습니다" },
  seed: "001",
  brief: {
    en: "Applications in VPC02 fail with 'unknown host' for names such as vpc01-a.netlab.internal and web-b2.netlab.internal. The same names resolve from VPC01 and from the workstation, and connections by IP address still work. Restore name resolution in VPC02.",
    ko: "VPC02의 애플리케이션이 vpc01-a.netlab.internal, web-b2.netlab.internal 같은 이름에서 'unknown host' 오류를 냅니다. 같은 이름이 VPC01과 워크스테이션에서는 정상적으로 조회되고, IP 주소로 접속하면 여전히 통신됩니다. VPC02의 이름 조회를 복구하세요.",
  },
  hints: [
    {
      en: "Where do these names live, and which resolver answers an instance in VPC02?",
      ko: "이 이름들은 어디에 등록되어 있고, VPC02의 인스턴스가 보낸 질의에는 어떤 리졸버가 응답하나요?",
    },
    {
      en: "A Route 53 private hosted zone answers only inside some VPCs. Which ones?",
      ko: "Route 53 프라이빗 호스팅 영역은 일부 VPC 안에서만 응답합니다. 어떤 VPC일까요?",
    },
  ],
  inject: [{ kind: "disassociate-zone", zone, vpc: "VPC02" }],
  solve: [{ kind: "associate-zone", zone, vpc: "VPC02" }],
  effects: [{ kind: "dns", from: "VPC02" }],
  checks: [
    {
      id: "vpc02-a-resolves-vpc01-a",
      kind: "dns",
      from: "VPC02-Private-A-10.2.20.101",
      name: `vpc01-a.${zone}`,
      expectIp: "10.1.20.101",
      title: {
        en: `vpc01-a.${zone} resolves to 10.1.20.101 from VPC02-Private-A-10.2.20.101`,
        ko: `VPC02-Private-A-10.2.20.101에서 vpc01-a.${zone} 이름이 10.1.20.101로 조회됩니다`,
      },
      hint: {
        en: `Run \`getent hosts vpc01-a.${zone}\` on the instance, then on an instance of VPC01, and compare.`,
        ko: `인스턴스에서 \`getent hosts vpc01-a.${zone}\`을 실행하고, VPC01의 인스턴스에서도 실행해 결과를 비교해 보세요.`,
      },
    },
    {
      id: "vpc02-b-resolves-web-b2",
      kind: "dns",
      from: "VPC02-Private-B-10.2.24.101",
      name: `web-b2.${zone}`,
      expectIp: "10.11.24.102",
      title: {
        en: `web-b2.${zone} resolves to 10.11.24.102 from VPC02-Private-B-10.2.24.101`,
        ko: `VPC02-Private-B-10.2.24.101에서 web-b2.${zone} 이름이 10.11.24.102로 조회됩니다`,
      },
      hint: {
        en: "The record exists, since other VPCs resolve it: what does VPC02 lack that they have?",
        ko: "다른 VPC에서는 조회되니 레코드는 있습니다. 다른 VPC에는 있고 VPC02에는 없는 것은 무엇일까요?",
      },
    },
    {
      id: "private-zone-associated-with-every-lab-vpc",
      kind: "zone-associated",
      zone,
      vpcs: ["VPC01", "VPC02", "DMZVPC", "mgmtvpc", "NATInstance-VPC1"],
      title: { en: `${zone} is associated with all five lab VPCs`, ko: `${zone} 영역이 랩의 VPC 5개 모두에 연결되어 있습니다` },
      hint: { en: "Open the hosted zone's details in the Route 53 console.", ko: "Route 53 콘솔에서 호스팅 영역의 세부 정보를 열어 보세요." },
    },
  ],
};
