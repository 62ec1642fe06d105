/**
 * The source ports a client may pick, which are the ports its replies come back to. A network ACL is
 * stateless, so a reply passes only if the ACL admits every port of the range the client may have picked.
 * https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html
 */
export interface PortRange {
  from: number;
  to: number;
  /** Whose range it is, for explanations: "Linux's ephemeral range". */
  who: string;
}

/** Linux's default net.ipv4.ip_local_port_range (Amazon Linux 2023 included); AWS's page rounds it to 32768–61000. */
export const LINUX_EPHEMERAL: PortRange = { from: 32768, to: 60999, who: "Linux's ephemeral range" };

/** "A NAT gateway uses ports 1024-65535." A NAT instance's MASQUERADE may remap to any port of the same range. */
export const NAT_GATEWAY_PORTS: PortRange = { from: 1024, to: 65535, who: "the NAT gateway's source-port range" };
export const NAT_INSTANCE_PORTS: PortRange = { from: 1024, to: 65535, who: "the source ports iptables MASQUERADE may pick" };

/** "Requests originating from Elastic Load Balancing use ports 1024-65535." */
export const ELB_PORTS: PortRange = { from: 1024, to: 65535, who: "Elastic Load Balancing's source-port range" };

/** An internet client's OS is unknown: it may pick any port above the well-known ones. */
export const INTERNET_CLIENT_PORTS: PortRange = { from: 1024, to: 65535, who: "the source ports an internet client may pick" };

export function formatRange(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}–${r.to}`;
}
