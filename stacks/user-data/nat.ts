/**
 * User data of the NAT instance (AL2023): forward IPv4, MASQUERADE on the interface of the default
 * route (ens5 on AL2023 — derived at boot, never assumed to be eth0), and save the rules so that
 * they survive a reboot. Source/dest check is turned off by the instance resource, not here.
 * https://docs.aws.amazon.com/vpc/latest/userguide/work-with-nat-instances.html
 */
export function natUserData(): string {
  return `#!/bin/bash
set -u
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-netlab-nat.conf
sysctl -p /etc/sysctl.d/90-netlab-nat.conf
dnf install -y -q iptables-services || true
IF=$(ip route show default | awk '/default/ {print $5; exit}')
iptables -t nat -C POSTROUTING -o "$IF" -j MASQUERADE 2>/dev/null || iptables -t nat -A POSTROUTING -o "$IF" -j MASQUERADE
iptables -F FORWARD
mkdir -p /etc/sysconfig
iptables-save > /etc/sysconfig/iptables
systemctl enable --now iptables 2>/dev/null || true
`;
}
