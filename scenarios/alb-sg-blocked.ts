import type { Scenario } from "./types";
import { allTargetsHealthy } from "./shared-checks";

const webSg = "DMZVPC-PrivateSG";
/**
 * What the SG checks protect: the target group's instances, whatever groups they carry (a group a student
 * attaches included). The catalogue test keeps this list equal to LAB_TOPOLOGY's targets.
 */
export const WEB_TARGETS = ["DMZVPC-Private-A-10.11.20.101", "DMZVPC-Private-A-10.11.20.102", "DMZVPC-Private-B-10.11.24.101", "DMZVPC-Private-B-10.11.24.102"];
const webTargets = WEB_TARGETS;
const fromAlb = { protocol: "tcp" as const, fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG", description: "HTTP from the ALB" };

/**
 * Seeds 001, 003: the web targets no longer admit the ALB. With every target unhealthy the ALB fails
 * open and forwards anyway, so clients see 504 after the 10 s connect timeout rather than 503:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * https://repost.aws/knowledge-center/504-error-alb
 */
export const albSgBlocked: Scenario = {
  id: "alb-sg-blocked",
  title: { en: "The site times out and every target is unhealthy", ko: "사이트가 타임아웃되고 모든 대상이 unhealthy입니다" },
  seed: "001, 003",
  brief: {
    en: "Requests to DMZVPC-alb1 hang for about ten seconds and end in 504 Gateway Timeout, and all four targets of DMZVPC-TG-web are unhealthy. The web servers are running and serve their page locally. Restore the site without opening the web servers to the whole internet.",
    ko: "DMZVPC-alb1로 보낸 요청이 10초쯤 멈춰 있다가 504 Gateway Timeout으로 끝나고, DMZVPC-TG-web의 대상 4개가 모두 unhealthy입니다. 웹 서버는 실행 중이고 서버 안에서는 페이지가 정상적으로 열립니다. 웹 서버를 인터넷 전체에 열지 말고 사이트를 복구하세요.",
  },
  hints: [
    {
      en: "What reason code do the unhealthy targets show? Target.Timeout and Target.ResponseCodeMismatch point to different layers.",
      ko: "unhealthy 대상의 사유 코드는 무엇인가요? Target.Timeout과 Target.ResponseCodeMismatch는 서로 다른 계층의 문제를 가리킵니다.",
    },
    {
      en: "Health checks leave from the ALB's own network interfaces, and those interfaces carry the ALB's security group.",
      ko: "헬스 체크는 ALB의 네트워크 인터페이스에서 출발하고, 그 인터페이스에는 ALB의 보안 그룹이 붙어 있습니다.",
    },
    {
      en: "The source of a security group rule can be another security group instead of a CIDR.",
      ko: "보안 그룹 규칙의 소스에는 CIDR 대신 다른 보안 그룹을 지정할 수 있습니다.",
    },
  ],
  inject: [{ kind: "revoke-sg-rule", securityGroup: webSg, direction: "ingress", rule: fromAlb }],
  solve: [{ kind: "authorize-sg-rule", securityGroup: webSg, direction: "ingress", rule: fromAlb }],
  // Every target fails its health check, so nobody gets the web page through the ALB.
  effects: [{ kind: "web-target" }, { kind: "alb" }],
  checks: [
    allTargetsHealthy,
    {
      id: "alb-serves-the-web-page-to-the-workstation",
      kind: "http",
      from: "mgmtvpc-Workstation-10.254.0.101",
      probe: { kind: "http", to: "alb", path: "/ec2meta-webpage/index.php" },
      expectStatus: 200,
      // Only the web tier's page shows an instance id: a 504 or any other page does not.
      expectBodyContains: "instance-id: i-",
      title: {
        en: "DMZVPC-alb1 answers the workstation with the web page (HTTP 200, showing an instance id)",
        ko: "DMZVPC-alb1이 워크스테이션에 웹 페이지로 응답합니다(HTTP 200, 인스턴스 ID 표시)",
      },
      hint: {
        en: "Open the site from the workstation with curl: how long does the answer take, and what comes back?",
        ko: "워크스테이션에서 curl로 사이트를 열어 보세요. 응답까지 얼마나 걸리고, 무엇이 돌아오나요?",
      },
    },
    {
      id: "web-port-80-open-to-alb-sg",
      kind: "sg-rule",
      securityGroups: { carriedBy: webTargets },
      direction: "ingress",
      rule: { protocol: "tcp", port: 80, peerSecurityGroup: "DMZVPC-ALB-SG" },
      expect: "present",
      title: { en: "Each web target admits port 80 from the ALB's security group", ko: "각 웹 대상이 ALB 보안 그룹에서 오는 80번 포트를 허용합니다" },
      hint: {
        en: "Which source would admit the ALB and nothing else, even when the ALB's addresses change?",
        ko: "ALB의 IP가 바뀌더라도 ALB만 허용하고 나머지는 막으려면 소스를 무엇으로 지정해야 할까요?",
      },
    },
    {
      id: "web-port-80-not-open-to-world",
      kind: "sg-rule",
      securityGroups: { carriedBy: webTargets },
      direction: "ingress",
      rule: { protocol: "tcp", port: 80, cidr: "0.0.0.0/0" },
      expect: "absent",
      title: { en: "No web target admits port 80 from 0.0.0.0/0 through any of its security groups", ko: "어떤 웹 대상도 자신의 보안 그룹 중 어느 것을 통해서든 0.0.0.0/0에서 오는 80번 포트를 허용하지 않습니다" },
      hint: {
        en: "The targets sit behind the ALB: nobody else needs to reach them directly. Look at every security group each target carries, not only one.",
        ko: "대상은 ALB 뒤에 있습니다. ALB 말고는 대상에 직접 접근할 필요가 없습니다. 한 그룹만 보지 말고 각 대상에 연결된 모든 보안 그룹을 확인하세요.",
      },
    },
  ],
};
