/** User data of probe and workstation instances: nothing to install; SSM Agent ships with AL2023. */
export function plainUserData(role: string): string {
  return `#!/bin/bash
# netlab ${role} instance: reached with Session Manager only (no key pair, no SSH).
echo "netlab ${role}" > /etc/motd.d/netlab 2>/dev/null || true
`;
}
