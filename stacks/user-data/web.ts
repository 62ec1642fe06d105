import { retryShell } from "./retry";

/** Where the page lives, on the ALB and in the health check. */
const PAGE = "/ec2meta-webpage/index.php";

/**
 * The fallback web server (python3 ships with AL2023): answers the page's path as text/html (not as a
 * .php download), reading instance id, AZ and private IP through IMDSv2 at each request, like the PHP.
 */
const FALLBACK_SERVER = `import html, http.server, urllib.request

IMDS = "http://169.254.169.254/latest"


def imds(path):
    try:
        put = urllib.request.Request(IMDS + "/api/token", method="PUT", headers={"X-aws-ec2-metadata-token-ttl-seconds": "300"})
        token = urllib.request.urlopen(put, timeout=2).read().decode()
        get = urllib.request.Request(IMDS + "/meta-data/" + path, headers={"X-aws-ec2-metadata-token": token})
        return html.escape(urllib.request.urlopen(get, timeout=2).read().decode())
    except Exception:
        return ""


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.split("?")[0] != "${PAGE}":
            self.send_error(404)
            return
        body = ("<h1>netlab web</h1>\\n<p>instance-id: " + imds("instance-id") + "</p>\\n<p>availability-zone: "
                + imds("placement/availability-zone") + "</p>\\n<p>private-ip: " + imds("local-ipv4") + "</p>\\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


http.server.ThreadingHTTPServer(("", 80), Page).serve_forever()
`;

/** The page under httpd + PHP: instance id, AZ and private IP, read through IMDSv2 at each request. */
const PHP_PAGE = `<?php
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
`;

/**
 * User data of a web target: the page at /ec2meta-webpage/index.php, up without the internet. The
 * python3 fallback serves it at once; httpd + PHP come from the AL2023 repositories in S3 (through the
 * VPC's S3 gateway endpoint), retried with backoff for a bounded time, and replace the fallback when
 * installed. If they never install, the fallback keeps serving and the script says so. No secret.
 * php-fpm is installed by name (AL2023's httpd runs PHP through it, and the service is enabled below),
 * as AWS's AL2023 LAMP tutorial does.
 * https://docs.aws.amazon.com/linux/al2023/ug/ec2-lamp-amazon-linux-2023.html
 * https://docs.aws.amazon.com/linux/al2023/ug/managing-repos-os-updates.html
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html
 */
export function webUserData(): string {
  return `#!/bin/bash
set -u
log() { echo "netlab-web: $*"; logger -t netlab-web -- "$*" 2>/dev/null || true; }
mkdir -p /usr/local/lib/netlab /var/www/html/ec2meta-webpage
cat > /usr/local/lib/netlab/web.py <<'PY'
${FALLBACK_SERVER}PY
cat > /etc/systemd/system/netlab-web.service <<'UNIT'
[Unit]
Description=netlab web page (fallback until httpd and PHP are installed)
After=network-online.target
[Service]
ExecStart=/usr/bin/python3 /usr/local/lib/netlab/web.py
Restart=always
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now netlab-web || log "the fallback server did not start"
if ${retryShell("dnf install -y -q httpd php php-fpm", 900, "netlab-web")}; then
  cat > /var/www/html/ec2meta-webpage/index.php <<'PHP'
${PHP_PAGE}PHP
  systemctl disable --now netlab-web
  systemctl enable --now php-fpm httpd && log "ready: httpd + PHP serve ${PAGE}" || { log "FAILED: httpd did not start; back to the fallback"; systemctl enable --now netlab-web; exit 1; }
else
  log "WARNING: httpd and PHP could not be installed in 15 minutes; the python3 fallback serves ${PAGE}"
fi
`;
}
