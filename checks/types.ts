import type { ProbeSpec } from "../cloud/port";

/** Text in the two languages of the class. */
export interface Localized {
  en: string;
  ko: string;
}

export type Lang = keyof Localized;
export const LANGS: readonly Lang[] = ["en", "ko"];

/** The public addresses a correct egress path shows, resolved on a fresh snapshot. */
export type EgressVia =
  /** The EIPs of the NAT gateways of a VPC (centralized egress through the DMZ). */
  | { natGatewaysOfVpc: string }
  /** The EIP / public IP of an instance (the NAT instance). */
  | { instancePublicIp: string };

/** A rule pattern: matches any rule that *admits* this traffic (an all-traffic rule admits port 22). */
export interface SgRulePattern {
  protocol: "tcp" | "udp" | "icmp";
  port: number;
  cidr?: string;
  peerSecurityGroup?: string;
}

interface CheckBase {
  /** States what must be true: `vpc02-a-reaches-internet-via-dmz-nat`. */
  id: string;
  /** What the check proves, for the instructor and the student. */
  title: Localized;
  /** A nudge for the student when it fails; never the answer. */
  hint: Localized;
}

export type CheckSpec = CheckBase &
  (
    | {
        kind: "http";
        from: string;
        probe: Extract<ProbeSpec, { kind: "http" }>;
        expectStatus?: number;
        /** The response body contains this text (the web tier's page shows `instance-id: i-…`). */
        expectBodyContains?: string;
        /** The egress IP must be one of these. */
        egressVia?: EgressVia;
        /** At least this many distinct instances served the requests. */
        minDistinctServers?: number;
      }
    | { kind: "dns"; from: string; name: string; expectIp: string }
    | { kind: "tcp"; from: string; host: string; port: number }
    | { kind: "icmp"; from: string; host: string }
    | {
        kind: "os-state";
        instance: string;
        expect: Partial<{ ipForward: boolean; masquerade: boolean; masqueradeSaved: boolean; cpuLoad: boolean }>;
      }
    /** Session Manager can run a command on each instance (the grader's own channel survived). */
    | { kind: "ssm-reachable"; instances: string[] }
    | { kind: "route-present"; routeTable: string; destination: string; targetKind: "tgw" | "igw" | "nat-gateway" | "eni" }
    | { kind: "target-health"; targetGroup: string; expect: "healthy"; minTargets: number }
    | { kind: "target-registered"; targetGroup: string; instance: string; port: number }
    | {
        kind: "sg-rule";
        /**
         * Security group names, every SG of the lab, or the groups instances carry (`carriedBy`: instance
         * names): then each instance's effective rules, the union of all its groups, are what is checked.
         */
        securityGroups: string[] | "all" | { carriedBy: string[] };
        direction: "ingress" | "egress";
        rule: SgRulePattern;
        expect: "present" | "absent";
      }
    | { kind: "source-dest-check"; instance: string; expect: boolean }
    | { kind: "zone-associated"; zone: string; vpcs: string[] }
    /** Each VPC has an ACTIVE flow log of this traffic to this log group. */
    | { kind: "flow-log-active"; vpcs: string[] | "all"; logGroup: string; trafficType: "ALL" | "ACCEPT" | "REJECT" }
    | { kind: "alarm"; alarm: string; instance: string; expectState: "OK" | "ALARM" }
    /**
     * The alarm entered ALARM at or after the active fault was injected (the ledger entry's time).
     * With no active fault there is nothing to fire for: it passes (a baseline).
     */
    | { kind: "alarm-fired"; alarm: string }
  );

export type CheckKind = CheckSpec["kind"];

export type CheckStatus = "pass" | "fail" | "inconclusive";

export interface CheckResult {
  id: string;
  status: CheckStatus;
  /** What was expected and what was found. */
  evidence: string;
  hint: Localized;
  /** For the instructor: the analyzer's account of where the path is blocked (failing probe checks). */
  explanation?: string;
}
