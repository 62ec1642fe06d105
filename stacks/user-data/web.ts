/**
 * User data of a web target: a page at /ec2meta-webpage/index.php that shows the instance id, AZ and
 * private IP, read through IMDSv2. It must come up without the internet: it tries httpd + php (AL2023's
 * repositories are in S3, reached through the S3 gateway endpoint) and otherwise serves the same page,
 * rendered at boot, with python3 (part of the AL2023 AMI). No secret, no password.
 */
export function webUserData(): string {
  return `#!/bin/bash
set -u
imds() {
  local token
  token=$(curl -sS -m 5 -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -sS -m 5 -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
mkdir -p /var/www/html/ec2meta-webpage
if timeout 300 dnf install -y -q httpd php; then
  cat > /var/www/html/ec2meta-webpage/index.php <<'PHP'
<?php
function imds($path) {
  $t = stream_context_create(['http' => ['method' => 'PUT', 'header' => "X-aws-ec2-metadata-token-ttl-seconds: 300", 'timeout' => 2]]);
  $token = @file_get_contents('http://169.254.169.254/latest/api/token', false, $t);
  $g = stream_context_create(['http' => ['header' => "X-aws-ec2-metadata-token: $token", 'timeout' => 2]]);
  return htmlspecialchars((string) @file_get_contents("http://169.254.169.254/latest/meta-data/$path", false, $g));
}
echo "<h1>netlab web</h1>\\n";
echo "<p>instance-id: " . imds('instance-id') . "</p>\\n";
echo "<p>availability-zone: " . imds('placement/availability-zone') . "</p>\\n";
echo "<p>private-ip: " . imds('local-ipv4') . "</p>\\n";
PHP
  systemctl enable --now httpd
else
  # Fallback without packages: the page rendered once at boot, served by python3.
  cat > /var/www/html/ec2meta-webpage/index.php <<HTML
<h1>netlab web</h1>
<p>instance-id: $(imds instance-id)</p>
<p>availability-zone: $(imds placement/availability-zone)</p>
<p>private-ip: $(imds local-ipv4)</p>
HTML
  cat > /etc/systemd/system/netlab-web.service <<'UNIT'
[Unit]
Description=netlab web page (fallback)
After=network-online.target
[Service]
WorkingDirectory=/var/www/html
ExecStart=/usr/bin/python3 -m http.server 80
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now netlab-web
fi
`;
}
