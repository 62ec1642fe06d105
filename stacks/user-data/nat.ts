import { retryShell } from "./retry";

/**
 * User data of the NAT instance (AL2023): forward IPv4, MASQUERADE on the interface of the default
 * route (ens5 on AL2023 — derived at boot, never assumed to be eth0), save the rules and enable
 * iptables.service so that they are restored at every boot. Source/dest check is turned off by the
 * instance resource, not here. Nothing secret: user data is stored in clear text in Terraform state.
 *
 * iptables-services comes from the AL2023 repositories in S3, reached through the VPC's S3 gateway
 * endpoint (the instance's public IP, its EIP, is attached only after it boots). dnf is retried with
 * backoff for a bounded time; if it never succeeds the script says so and exits non-zero: cloud-init
 * records the failure, and its output is in /var/log/cloud-init-output.log and the serial console.
 * https://docs.aws.amazon.com/vpc/latest/userguide/work-with-nat-instances.html
 * https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html
 */
export function natUserData(): string {
  return `#!/bin/bash
set -u
log() { echo "netlab-nat: $*"; logger -t netlab-nat -- "$*" 2>/dev/null || true; }
fail() { log "FAILED: $*"; exit 1; }
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-netlab-nat.conf
sysctl -p /etc/sysctl.d/90-netlab-nat.conf || fail "could not turn on IPv4 forwarding"
${retryShell("dnf install -y -q iptables-services", 900, "netlab-nat")} || fail "dnf could not install iptables-services in 15 minutes (AL2023 repositories unreachable through the S3 gateway endpoint?); the instance does not translate"
IF=$(ip route show default | awk '/default/ {print $5; exit}')
[ -n "$IF" ] || fail "there is no default route, so no interface to masquerade on"
iptables -t nat -C POSTROUTING -o "$IF" -j MASQUERADE 2>/dev/null || iptables -t nat -A POSTROUTING -o "$IF" -j MASQUERADE || fail "could not add the MASQUERADE rule on $IF"
iptables -F FORWARD
iptables-save > /etc/sysconfig/iptables || fail "could not save the rules to /etc/sysconfig/iptables"
systemctl enable iptables || fail "could not enable iptables.service; the rules would not be restored at boot"
systemctl start iptables || fail "iptables.service did not start"
log "ready: MASQUERADE on $IF, rules saved and restored at boot"
`;
}
