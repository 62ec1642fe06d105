import type { Change, RouteTargetRef, SgRuleRef } from "../cloud/change";
import { ALB_TARGET_GROUP } from "./shared-checks";

/**
 * Students' repairs, right and wrong, of every scenario: what instructors see students do, with the grade
 * each must get. Each row is run on the simulated lab by test/scenarios/repairs.test.ts (inject → the
 * student's changes, through `lab try`'s own code → `lab check`), and docs/REPAIRS.md is generated from
 * this table. A row's changes are the ones `lab try` takes, so an instructor can replay any of them.
 */
export interface StudentRepair {
  scenario: string;
  /** What the student does, in a sentence. */
  title: string;
  changes: Change[];
  /**
   * `pass`: a correct repair (the reference fix or an alternative) must pass. `fail`: a wrong one must
   * fail. `refused`: the student cannot make it: `lab try` refuses it as the student policy or AWS would.
   */
  expect: "pass" | "fail" | "refused";
  /**
   * fail: what the grade must say, each piece word for word: the broken component (and why), in a failing
   * check's evidence or explanation, or in the collateral damage it reports.
   */
  names?: string[];
  /** refused: AWS's error code. */
  code?: string;
  /** Why it is right or wrong, for the instructor. */
  why: string;
  /**
   * fail: the repair breaks something outside what the scenario's own checks test (collateral damage): the
   * comparison of the lab's steady state with its baseline fails it, and the grade reports that damage.
   */
  collateral?: true;
}

const TGW = { kind: "tgw" as const, name: "netlab-tgw" };
const VPC02_RTS = ["VPC02-Private-Subnet-A-RT", "VPC02-Private-Subnet-B-RT"];
const WEB_SG = "DMZVPC-PrivateSG";
const FROM_ALB: SgRuleRef = { protocol: "tcp", fromPort: 80, toPort: 80, peerSecurityGroup: "DMZVPC-ALB-SG" };
const NAT_RT = "NATInstance-PrivateRouteTable1";
const NAT = "NAT-Instance";
const SSH_WORLD: SgRuleRef = { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" };
const SSH_GROUPS = ["VPC01-PrivateSG", "VPC02-PrivateSG", "DMZVPC-PrivateSG"];
const STOPPED_WEB = "DMZVPC-Private-B-10.11.24.102";
const MISPORTED_WEB = "DMZVPC-Private-A-10.11.20.102";
const LOADED = "VPC02-Private-A-10.2.20.101";
const FLOW_LOGS = "/aws/vpc/flowlogs";
const ZONE = "netlab.internal";
/** An instance no scenario touches: stopping it is damage elsewhere in the lab. */
const BYSTANDER = "VPC01-Private-A-10.1.20.101";

const route = (routeTable: string, destination: string, target: RouteTargetRef): Change => ({ kind: "create-route", routeTable, destination, target });
const replace = (routeTable: string, destination: string, target: RouteTargetRef): Change => ({ kind: "replace-route", routeTable, destination, target });
const ingress = (kind: "authorize-sg-rule" | "revoke-sg-rule", securityGroup: string, rule: SgRuleRef): Change => ({ kind, securityGroup, direction: "ingress", rule });
const stop = (instance: string): Change => ({ kind: "stop-instance", instance });
const start = (instance: string): Change => ({ kind: "start-instance", instance });
const register = (instance: string, port: number): Change => ({ kind: "register-target", targetGroup: ALB_TARGET_GROUP, instance, port });
const deregister = (instance: string, port: number): Change => ({ kind: "deregister-target", targetGroup: ALB_TARGET_GROUP, instance, port });
const sdc = (enabled: boolean): Change => ({ kind: "set-source-dest-check", instance: NAT, enabled });
const os = (instance: string, key: "masquerade" | "cpuLoad", value: boolean): Change => ({ kind: "set-os-state", instance, key, value });
const revokeSsh = (groups = SSH_GROUPS): Change[] => groups.map((g) => ingress("revoke-sg-rule", g, SSH_WORLD));

export const STUDENT_REPAIRS: readonly StudentRepair[] = [
  // tgw-default-route
  {
    scenario: "tgw-default-route",
    title: "Re-creates 0.0.0.0/0 → netlab-tgw in both VPC02 route tables (the reference fix)",
    changes: VPC02_RTS.map((rt) => route(rt, "0.0.0.0/0", TGW)),
    expect: "pass",
    why: "The default route is back; both instances leave through the TGW and a DMZ NAT gateway.",
  },
  {
    scenario: "tgw-default-route",
    title: "Routes 0.0.0.0/1 and 128.0.0.0/1 → netlab-tgw in both tables",
    changes: VPC02_RTS.flatMap((rt) => ["0.0.0.0/1", "128.0.0.0/1"].map((d) => route(rt, d, TGW))),
    expect: "pass",
    why: "The two halves cover every address the default route did: the same path, graded on the outcome.",
  },
  {
    scenario: "tgw-default-route",
    title: "Repairs VPC02-Private-Subnet-A-RT only",
    changes: [route("VPC02-Private-Subnet-A-RT", "0.0.0.0/0", TGW)],
    expect: "fail",
    names: ["blocked at VPC02-Private-Subnet-B-RT (NO_ROUTE)"],
    why: "VPC02-Private-B-10.2.24.101 still has no route out.",
  },
  {
    scenario: "tgw-default-route",
    title: "Routes 0.0.0.0/0 in both tables to a DMZ NAT gateway directly",
    changes: VPC02_RTS.map((rt) => route(rt, "0.0.0.0/0", { kind: "nat-gateway", name: "DMZVPC-NATGW-A" })),
    expect: "refused",
    code: "InvalidParameterValue",
    why: "A route's NAT gateway must be in the route table's own VPC: AWS refuses a NAT gateway of another VPC.",
  },
  {
    scenario: "tgw-default-route",
    title: "Routes 0.0.0.0/0 in both tables to the ENI of VPC02-Private-A-10.2.20.101",
    changes: VPC02_RTS.map((rt) => route(rt, "0.0.0.0/0", { kind: "instance-eni", instance: LOADED })),
    expect: "fail",
    names: ["blocked at VPC02-Private-A-10.2.20.101 (SOURCE_DEST_CHECK)"],
    why: "An instance is not a router: the traffic never reaches the TGW.",
  },
  {
    scenario: "tgw-default-route",
    title: "Re-creates both default routes, and shuts down VPC01-Private-A-10.1.20.101 while exploring",
    changes: [...VPC02_RTS.map((rt) => route(rt, "0.0.0.0/0", TGW)), stop(BYSTANDER)],
    expect: "fail",
    names: ["blocked at VPC01-Private-A-10.1.20.101 (INSTANCE_NOT_RUNNING)"],
    collateral: true,
    why: "VPC02 is repaired, but an instance of VPC01 that worked is down: collateral damage.",
  },
  {
    scenario: "tgw-default-route",
    title: "Re-creates both default routes, and points VPC01-Private-Subnet-A-RT's default route at a VPC01 instance",
    changes: [...VPC02_RTS.map((rt) => route(rt, "0.0.0.0/0", TGW)), replace("VPC01-Private-Subnet-A-RT", "0.0.0.0/0", { kind: "instance-eni", instance: "VPC01-Private-B-10.1.24.101" })],
    expect: "fail",
    names: ["blocked at VPC01-Private-B-10.1.24.101 (SOURCE_DEST_CHECK)"],
    collateral: true,
    why: "VPC02 is repaired, but VPC01-Private-A-10.1.20.101 has lost the internet: collateral damage (the student policy allows no route deletion, but a replaced target breaks as surely).",
  },
  {
    scenario: "tgw-default-route",
    title: "Re-creates both default routes, and points DMZVPC-Public-RT's return route (10.0.0.0/8) at the internet gateway",
    changes: [...VPC02_RTS.map((rt) => route(rt, "0.0.0.0/0", TGW)), replace("DMZVPC-Public-RT", "10.0.0.0/8", { kind: "igw", name: "DMZVPC-IGW" })],
    expect: "fail",
    names: ["blocked at DMZVPC-Public-RT (NO_ROUTE)"],
    why: "Replies from the internet to the spokes no longer find their way back through the TGW: VPC02 still cannot get out.",
  },

  // alb-target-stopped
  {
    scenario: "alb-target-stopped",
    title: `Starts ${STOPPED_WEB} (the reference fix)`,
    changes: [start(STOPPED_WEB)],
    expect: "pass",
    why: "The target is running again; the ALB serves from all four.",
  },
  {
    scenario: "alb-target-stopped",
    title: "Starts it, then deregisters and re-registers it on port 80",
    changes: [start(STOPPED_WEB), deregister(STOPPED_WEB, 80), register(STOPPED_WEB, 80)],
    expect: "pass",
    why: "Re-registering is unnecessary but harmless: the same four targets on port 80.",
  },
  {
    scenario: "alb-target-stopped",
    title: "Deregisters the stopped target",
    changes: [deregister(STOPPED_WEB, 80)],
    expect: "fail",
    names: ["expected all targets of DMZVPC-TG-web healthy (at least 4); found 3 of 3"],
    why: "The three targets left are healthy, but the web tier is one server short.",
  },
  {
    scenario: "alb-target-stopped",
    title: "Registers VPC01-Private-A-10.1.20.101 in its place",
    changes: [register(BYSTANDER, 80)],
    expect: "refused",
    code: "InvalidTarget",
    why: "A target group takes instances of its own VPC only.",
  },
  {
    scenario: "alb-target-stopped",
    title: "Starts it, and shuts down DMZVPC-Private-A-10.11.20.101 instead",
    changes: [start(STOPPED_WEB), stop("DMZVPC-Private-A-10.11.20.101")],
    expect: "fail",
    names: ["DMZVPC-Private-A-10.11.20.101:80 unused (Target.InvalidState)"],
    why: "Another web server is now down.",
  },
  {
    scenario: "alb-target-stopped",
    title: "Starts it, and shuts down VPC01-Private-A-10.1.20.101",
    changes: [start(STOPPED_WEB), stop(BYSTANDER)],
    expect: "fail",
    names: ["blocked at VPC01-Private-A-10.1.20.101 (INSTANCE_NOT_RUNNING)"],
    collateral: true,
    why: "The web tier is whole, but an unrelated instance is down: collateral damage.",
  },

  // alb-sg-blocked
  {
    scenario: "alb-sg-blocked",
    title: `Admits 80/tcp from DMZVPC-ALB-SG on ${WEB_SG} (the reference fix)`,
    changes: [ingress("authorize-sg-rule", WEB_SG, FROM_ALB)],
    expect: "pass",
    why: "Health checks and requests from the ALB reach the targets again.",
  },
  {
    scenario: "alb-sg-blocked",
    title: "Admits all TCP ports (0–65535) from DMZVPC-ALB-SG",
    changes: [ingress("authorize-sg-rule", WEB_SG, { protocol: "tcp", fromPort: 0, toPort: 65535, peerSecurityGroup: "DMZVPC-ALB-SG" })],
    expect: "pass",
    why: "Wider than needed, but still only from the ALB's group: port 80 is admitted from the ALB and nothing else.",
  },
  {
    scenario: "alb-sg-blocked",
    title: "Admits 80/tcp from 0.0.0.0/0",
    changes: [ingress("authorize-sg-rule", WEB_SG, { protocol: "tcp", fromPort: 80, toPort: 80, cidr: "0.0.0.0/0" })],
    expect: "fail",
    names: ["DMZVPC-PrivateSG: tcp/80 from 0.0.0.0/0"],
    why: "The site works, but the web servers are open to the internet, which the brief forbids.",
  },
  {
    scenario: "alb-sg-blocked",
    title: "Admits 80/tcp from 0.0.0.0/1 and 128.0.0.0/1",
    changes: ["0.0.0.0/1", "128.0.0.0/1"].map((cidr) => ingress("authorize-sg-rule", WEB_SG, { protocol: "tcp", fromPort: 80, toPort: 80, cidr })),
    expect: "fail",
    names: ["DMZVPC-PrivateSG: tcp/80 from 0.0.0.0/1 + tcp/80 from 128.0.0.0/1 (together: 0.0.0.0/0)"],
    why: "Two halves of the internet are the whole internet.",
  },
  {
    scenario: "alb-sg-blocked",
    title: "Admits 80/tcp from DMZVPC-ALB-SG on the ALB's own group (DMZVPC-ALB-SG)",
    changes: [ingress("authorize-sg-rule", "DMZVPC-ALB-SG", FROM_ALB)],
    expect: "fail",
    names: ["DMZVPC-PrivateSG", "Target.Timeout"],
    why: "The rule belongs on the targets' group: the targets still drop the health checks.",
  },
  {
    scenario: "alb-sg-blocked",
    title: "Admits 443/tcp from DMZVPC-ALB-SG",
    changes: [ingress("authorize-sg-rule", WEB_SG, { protocol: "tcp", fromPort: 443, toPort: 443, peerSecurityGroup: "DMZVPC-ALB-SG" })],
    expect: "fail",
    names: ["DMZVPC-PrivateSG", "Target.Timeout"],
    why: "The target group sends HTTP to port 80.",
  },
  {
    scenario: "alb-sg-blocked",
    title: "Admits 80/tcp from DMZVPC-ALB-SG, and tidies up the group by revoking its ICMP rule",
    changes: [ingress("authorize-sg-rule", WEB_SG, FROM_ALB), ingress("revoke-sg-rule", WEB_SG, { protocol: "icmp", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" })],
    expect: "fail",
    names: ["blocked at DMZVPC-PrivateSG (SG_INGRESS_DENY)"],
    collateral: true,
    why: "The site works, but the lab can no longer ping the web servers: collateral damage.",
  },

  // alb-port-mismatch
  {
    scenario: "alb-port-mismatch",
    title: `Deregisters ${MISPORTED_WEB}:8080 and registers it on 80 (the reference fix)`,
    changes: [deregister(MISPORTED_WEB, 8080), register(MISPORTED_WEB, 80)],
    expect: "pass",
    why: "The target is on the port its web server listens on.",
  },
  {
    scenario: "alb-port-mismatch",
    title: "Registers it on 80 first, then deregisters 8080",
    changes: [register(MISPORTED_WEB, 80), deregister(MISPORTED_WEB, 8080)],
    expect: "pass",
    why: "The order does not matter: the same registrations at the end.",
  },
  {
    scenario: "alb-port-mismatch",
    title: "Registers it on 80 and leaves the 8080 registration",
    changes: [register(MISPORTED_WEB, 80)],
    expect: "fail",
    names: ["expected DMZVPC-Private-A-10.11.20.102 registered in DMZVPC-TG-web on port 80 only; found port 8080, 80"],
    why: "The 8080 registration stays unhealthy, and the ALB keeps sending it traffic until it is marked so.",
  },
  {
    scenario: "alb-port-mismatch",
    title: "Deregisters 8080 only",
    changes: [deregister(MISPORTED_WEB, 8080)],
    expect: "fail",
    names: ["expected DMZVPC-Private-A-10.11.20.102 registered in DMZVPC-TG-web on port 80 only; found no registration"],
    why: "The instance is out of the target group altogether.",
  },
  {
    scenario: "alb-port-mismatch",
    title: "Admits 8080/tcp from DMZVPC-ALB-SG on the web servers' group",
    changes: [ingress("authorize-sg-rule", WEB_SG, { protocol: "tcp", fromPort: 8080, toPort: 8080, peerSecurityGroup: "DMZVPC-ALB-SG" })],
    expect: "fail",
    names: ["DMZVPC-Private-A-10.11.20.102:8080 unhealthy (Target.Timeout)"],
    why: "Nothing listens on 8080: the port of the registration is wrong, not the group.",
  },
  {
    scenario: "alb-port-mismatch",
    title: "Registers VPC02-Private-A-10.2.20.101 on 80 to make up the numbers",
    changes: [register(LOADED, 80)],
    expect: "refused",
    code: "InvalidTarget",
    why: "A target group takes instances of its own VPC only.",
  },

  // nat-instance-route
  {
    scenario: "nat-instance-route",
    title: "Routes 0.0.0.0/0 → NAT-Instance's ENI and turns source/dest check off (the reference fix)",
    changes: [route(NAT_RT, "0.0.0.0/0", { kind: "instance-eni", instance: NAT }), sdc(false)],
    expect: "pass",
    why: "Both halves of the fault are undone.",
  },
  {
    scenario: "nat-instance-route",
    title: "Turns the check off first, then routes 0.0.0.0/1 and 128.0.0.0/1 → NAT-Instance's ENI",
    changes: [sdc(false), ...["0.0.0.0/1", "128.0.0.0/1"].map((d) => route(NAT_RT, d, { kind: "instance-eni", instance: NAT }))],
    expect: "pass",
    why: "The halves cover every address; the order of the two fixes does not matter.",
  },
  {
    scenario: "nat-instance-route",
    title: "Re-creates the route but leaves source/dest check on",
    changes: [route(NAT_RT, "0.0.0.0/0", { kind: "instance-eni", instance: NAT })],
    expect: "fail",
    names: ["blocked at NAT-Instance (SOURCE_DEST_CHECK)"],
    why: "With the check on, NAT-Instance drops traffic that is not addressed to it.",
  },
  {
    scenario: "nat-instance-route",
    title: "Turns source/dest check off but does not re-create the route",
    changes: [sdc(false)],
    expect: "fail",
    names: ["blocked at NATInstance-PrivateRouteTable1 (NO_ROUTE)"],
    why: "The private subnet has no route out.",
  },
  {
    scenario: "nat-instance-route",
    title: "Routes 0.0.0.0/0 → NATInstance-IGW1 from the private table, and turns the check off",
    changes: [route(NAT_RT, "0.0.0.0/0", { kind: "igw", name: "NATInstance-IGW1" }), sdc(false)],
    expect: "fail",
    names: ["blocked at NATInstance-IGW1 (NO_PUBLIC_IP)"],
    why: "Instances without a public address cannot use an internet gateway directly.",
  },
  {
    scenario: "nat-instance-route",
    title: "Routes 0.0.0.0/0 → a DMZ NAT gateway",
    changes: [route(NAT_RT, "0.0.0.0/0", { kind: "nat-gateway", name: "DMZVPC-NATGW-A" })],
    expect: "refused",
    code: "InvalidParameterValue",
    why: "A route's NAT gateway must be in the route table's own VPC.",
  },

  // nat-instance-masquerade
  {
    scenario: "nat-instance-masquerade",
    title: "Adds the MASQUERADE rule on NAT-Instance and saves it (the reference fix)",
    changes: [os(NAT, "masquerade", true)],
    expect: "pass",
    why: "Translation is back, and it survives a reboot.",
  },
  {
    scenario: "nat-instance-masquerade",
    title: "Adds and saves the rule, then stops and starts NAT-Instance to prove it",
    changes: [os(NAT, "masquerade", true), stop(NAT), start(NAT)],
    expect: "pass",
    why: "The saved rule is loaded at boot; the EIP stays with the instance.",
  },
  {
    scenario: "nat-instance-masquerade",
    title: "Stops and starts NAT-Instance, hoping the rule comes back",
    changes: [stop(NAT), start(NAT)],
    expect: "fail",
    names: ["blocked at NAT-Instance (NAT_NOT_FORWARDING)", "found masquerade=false, masqueradeSaved=false"],
    why: "The saved rules have no MASQUERADE either: a reboot restores the fault.",
  },
  {
    scenario: "nat-instance-masquerade",
    title: "Turns source/dest check off on NAT-Instance (it already is)",
    changes: [sdc(false)],
    expect: "fail",
    names: ["blocked at NAT-Instance (NAT_NOT_FORWARDING)"],
    why: "The control plane was never the problem.",
  },
  {
    scenario: "nat-instance-masquerade",
    title: "Routes 0.0.0.0/1 and 128.0.0.0/1 → NATInstance-IGW1 from the private table",
    changes: ["0.0.0.0/1", "128.0.0.0/1"].map((d) => route(NAT_RT, d, { kind: "igw", name: "NATInstance-IGW1" })),
    expect: "fail",
    names: ["blocked at NATInstance-IGW1 (NO_PUBLIC_IP)"],
    why: "Bypassing the NAT instance gets nowhere: the private instances have no public address.",
  },
  {
    scenario: "nat-instance-masquerade",
    title: "Adds and saves the rule, and shuts down VPC01-Private-A-10.1.20.101",
    changes: [os(NAT, "masquerade", true), stop(BYSTANDER)],
    expect: "fail",
    names: ["blocked at VPC01-Private-A-10.1.20.101 (INSTANCE_NOT_RUNNING)"],
    collateral: true,
    why: "Repaired, but an unrelated instance is down: collateral damage.",
  },

  // dns-private-zone
  {
    scenario: "dns-private-zone",
    title: `Associates ${ZONE} with VPC02 again (the reference fix)`,
    changes: [{ kind: "associate-zone", zone: ZONE, vpc: "VPC02" }],
    expect: "pass",
    why: "VPC02's resolver answers for the zone again.",
  },
  {
    scenario: "dns-private-zone",
    title: "Associates the zone, then restarts VPC02-Private-A-10.2.20.101 to clear its cache",
    changes: [{ kind: "associate-zone", zone: ZONE, vpc: "VPC02" }, stop(LOADED), start(LOADED)],
    expect: "pass",
    why: "The restart is unnecessary but harmless.",
  },
  {
    scenario: "dns-private-zone",
    title: "Opens 53/udp from 10.0.0.0/8 on VPC02-PrivateSG",
    changes: [ingress("authorize-sg-rule", "VPC02-PrivateSG", { protocol: "udp", fromPort: 53, toPort: 53, cidr: "10.0.0.0/8" })],
    expect: "fail",
    names: ["private zone netlab.internal, which is not associated with VPC02"],
    why: "The Route 53 Resolver is not behind the instances' security group; the zone is still not associated.",
  },
  {
    scenario: "dns-private-zone",
    title: "Routes 10.11.0.0/16 → netlab-tgw in both VPC02 tables, to reach the records' addresses",
    changes: VPC02_RTS.map((rt) => route(rt, "10.11.0.0/16", TGW)),
    expect: "fail",
    names: ["private zone netlab.internal, which is not associated with VPC02"],
    why: "The addresses were reachable all along (0.0.0.0/0 already goes to the TGW): it is the name that does not resolve.",
  },
  {
    scenario: "dns-private-zone",
    title: "Associates the zone with VPC01",
    changes: [{ kind: "associate-zone", zone: ZONE, vpc: "VPC01" }],
    expect: "refused",
    code: "ConflictingDomainExists",
    why: "VPC01 already is associated; the broken VPC is VPC02.",
  },
  {
    scenario: "dns-private-zone",
    title: "Disassociates the zone from mgmtvpc to re-associate it everywhere",
    changes: [{ kind: "disassociate-zone", zone: ZONE, vpc: "mgmtvpc" }],
    expect: "refused",
    code: "AccessDenied",
    why: "The student policy allows associating VPCs with the lab's zone, never disassociating them.",
  },
  {
    scenario: "dns-private-zone",
    title: "Associates the zone with VPC02, and shuts down VPC01-Private-A-10.1.20.101",
    changes: [{ kind: "associate-zone", zone: ZONE, vpc: "VPC02" }, stop(BYSTANDER)],
    expect: "fail",
    names: ["blocked at VPC01-Private-A-10.1.20.101 (INSTANCE_NOT_RUNNING)"],
    collateral: true,
    why: "Repaired, but an unrelated instance is down: collateral damage.",
  },

  // ssh-open-world
  {
    scenario: "ssh-open-world",
    title: "Revokes 22/tcp from 0.0.0.0/0 on the three groups (the reference fix)",
    changes: revokeSsh(),
    expect: "pass",
    why: "No group admits SSH from the internet; Session Manager never needed it.",
  },
  {
    scenario: "ssh-open-world",
    title: "Revokes them, and admits 22/tcp from the workstation's VPC (10.254.0.0/16) instead",
    changes: [...revokeSsh(), ...SSH_GROUPS.map((g) => ingress("authorize-sg-rule", g, { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "10.254.0.0/16" }))],
    expect: "pass",
    why: "SSH from the lab's own workstation is not SSH from the world.",
  },
  {
    scenario: "ssh-open-world",
    title: "Revokes the rule on VPC01-PrivateSG and VPC02-PrivateSG only",
    changes: revokeSsh(["VPC01-PrivateSG", "VPC02-PrivateSG"]),
    expect: "fail",
    names: ["found DMZVPC-PrivateSG: tcp/22 from 0.0.0.0/0"],
    why: "The web servers' group still admits SSH from anywhere.",
  },
  {
    scenario: "ssh-open-world",
    title: "Replaces the rule on VPC01-PrivateSG with 22/tcp from 0.0.0.0/1 and 128.0.0.0/1",
    changes: [...revokeSsh(), ...["0.0.0.0/1", "128.0.0.0/1"].map((cidr) => ingress("authorize-sg-rule", "VPC01-PrivateSG", { protocol: "tcp", fromPort: 22, toPort: 22, cidr }))],
    expect: "fail",
    names: ["found VPC01-PrivateSG: tcp/22 from 0.0.0.0/1 + tcp/22 from 128.0.0.0/1"],
    why: "Two halves of the internet are the whole internet.",
  },
  {
    scenario: "ssh-open-world",
    title: "Revokes the SSH rules, and admits all traffic from 0.0.0.0/0 on VPC02-PrivateSG",
    changes: [...revokeSsh(), ingress("authorize-sg-rule", "VPC02-PrivateSG", { protocol: "-1", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" })],
    expect: "fail",
    names: ["found VPC02-PrivateSG: all traffic from 0.0.0.0/0"],
    why: "All traffic includes port 22.",
  },
  {
    scenario: "ssh-open-world",
    title: "Revokes the SSH rules, and empties the web servers' group (the ALB rule and ICMP go too)",
    changes: [
      ...revokeSsh(),
      ingress("revoke-sg-rule", WEB_SG, { ...FROM_ALB, description: "HTTP from the ALB" }),
      ingress("revoke-sg-rule", WEB_SG, { protocol: "icmp", fromPort: -1, toPort: -1, cidr: "10.0.0.0/8" }),
    ],
    expect: "fail",
    names: ["blocked at DMZVPC-PrivateSG (SG_INGRESS_DENY)"],
    collateral: true,
    why: "SSH is closed, but the web tier is down: collateral damage.",
  },
  {
    scenario: "ssh-open-world",
    title: "Revokes the SSH rules, and cuts Session Manager in NATInstance-VPC1 (its endpoints' 443 rule)",
    changes: [...revokeSsh(), ingress("revoke-sg-rule", "NATInstance-VPC1-EndpointSG", { protocol: "tcp", fromPort: 443, toPort: 443, cidr: "10.10.0.0/16" })],
    expect: "fail",
    names: ["blocked at NATInstance-VPC1-EndpointSG (SG_INGRESS_DENY)"],
    why: "Session Manager must still reach every instance of every lab VPC, including those of NATInstance-VPC1.",
  },

  // cpu-alarm
  {
    scenario: "cpu-alarm",
    title: `Stops the CPU load on ${LOADED} (the reference fix)`,
    changes: [os(LOADED, "cpuLoad", false)],
    expect: "pass",
    why: "The load is gone and the alarm returns to OK.",
  },
  {
    scenario: "cpu-alarm",
    title: "Stops and starts the instance",
    changes: [stop(LOADED), start(LOADED)],
    expect: "pass",
    why: "A restart ends the load process too; the alarm returns to OK once metrics flow again.",
  },
  {
    scenario: "cpu-alarm",
    title: "Shuts the instance down and leaves it stopped",
    changes: [stop(LOADED)],
    expect: "fail",
    names: ["expected VPC02-Private-A-10.2.20.101-CPUUtilization-High to be OK; found INSUFFICIENT_DATA"],
    why: "The alarm has no data, and the instance is out of service.",
  },
  {
    scenario: "cpu-alarm",
    title: "Stops the CPU load on VPC02-Private-B-10.2.24.101 (the wrong instance)",
    changes: [os("VPC02-Private-B-10.2.24.101", "cpuLoad", false)],
    expect: "fail",
    names: ["expected on VPC02-Private-A-10.2.20.101: cpuLoad=false; found cpuLoad=true"],
    why: "The alarm watches VPC02-Private-A-10.2.20.101.",
  },
  {
    scenario: "cpu-alarm",
    title: "Stops the load, and shuts down VPC01-Private-A-10.1.20.101",
    changes: [os(LOADED, "cpuLoad", false), stop(BYSTANDER)],
    expect: "fail",
    names: ["blocked at VPC01-Private-A-10.1.20.101 (INSTANCE_NOT_RUNNING)"],
    collateral: true,
    why: "Repaired, but an unrelated instance is down: collateral damage.",
  },

  // flow-logs-off
  {
    scenario: "flow-logs-off",
    title: `Creates a flow log of VPC02, ALL traffic, to ${FLOW_LOGS} (the reference fix)`,
    changes: [{ kind: "create-flow-log", vpc: "VPC02", logGroup: FLOW_LOGS, trafficType: "ALL" }],
    expect: "pass",
    why: "VPC02 logs again, to the group the class queries.",
  },
  {
    scenario: "flow-logs-off",
    title: "Creates two flow logs of VPC02: ACCEPT and REJECT, to the same group",
    changes: (["ACCEPT", "REJECT"] as const).map((trafficType) => ({ kind: "create-flow-log" as const, vpc: "VPC02", logGroup: FLOW_LOGS, trafficType })),
    expect: "pass",
    why: "Accepted and rejected traffic together are all of it, in the same log group.",
  },
  {
    scenario: "flow-logs-off",
    title: "Creates the flow log to another log group (/aws/vpc/vpc02)",
    changes: [{ kind: "create-flow-log", vpc: "VPC02", logGroup: "/aws/vpc/vpc02", trafficType: "ALL" }],
    expect: "fail",
    names: ["missing for VPC02 (it has ALL to /aws/vpc/vpc02)"],
    why: "The class's queries read /aws/vpc/flowlogs: VPC02 stays dark there.",
  },
  {
    scenario: "flow-logs-off",
    title: "Creates a REJECT-only flow log of VPC02",
    changes: [{ kind: "create-flow-log", vpc: "VPC02", logGroup: FLOW_LOGS, trafficType: "REJECT" }],
    expect: "fail",
    names: ["missing for VPC02 (it has REJECT to /aws/vpc/flowlogs)"],
    why: "Accepted traffic is not logged.",
  },
  {
    scenario: "flow-logs-off",
    title: "Creates a flow log of VPC01 (the wrong VPC)",
    changes: [{ kind: "create-flow-log", vpc: "VPC01", logGroup: FLOW_LOGS, trafficType: "ALL" }],
    expect: "refused",
    code: "FlowLogAlreadyExists",
    why: "VPC01 already logs ALL traffic to that group.",
  },
  {
    scenario: "flow-logs-off",
    title: "Creates the flow log, and points DMZVPC-Public-RT's return route (10.0.0.0/8) at the internet gateway while exploring",
    changes: [{ kind: "create-flow-log", vpc: "VPC02", logGroup: FLOW_LOGS, trafficType: "ALL" }, replace("DMZVPC-Public-RT", "10.0.0.0/8", { kind: "igw", name: "DMZVPC-IGW" })],
    expect: "fail",
    names: ["blocked at DMZVPC-Public-RT (NO_ROUTE)"],
    collateral: true,
    why: "The flow log is back, but no spoke VPC reaches the internet any more: collateral damage.",
  },
  {
    scenario: "flow-logs-off",
    title: "Deletes VPC01's flow log to start over",
    changes: [{ kind: "delete-flow-log", vpc: "VPC01" }],
    expect: "refused",
    code: "UnauthorizedOperation",
    why: "The student policy allows creating flow logs, never deleting them.",
  },
];
