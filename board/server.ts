import { createHash, timingSafeEqual } from "node:crypto";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP, type AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import type { ZodType } from "zod";
import { cellDetailSchema, classViewSchema, errorBodySchema, type CellDetail, type ClassView } from "./schema";
import { scrubbedJson } from "./scrub";

/** Where the board listens unless told otherwise: this machine only. */
export const DEFAULT_BOARD_HOST = "127.0.0.1";
export const DEFAULT_BOARD_PORT = 8420;
export const TOKEN_COOKIE = "netlab_board";

const STATIC_DIR = join(__dirname, "static");
/** The page's own files, served from memory. Nothing else of the file system is reachable. */
const STATIC: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/i18n.js": { file: "i18n.js", type: "text/javascript; charset=utf-8" },
  "/board.css": { file: "board.css", type: "text/css; charset=utf-8" },
};
/** The diagram library, from npm (no CDN: a classroom network may have no internet). */
export const MERMAID_PATH = "/vendor/mermaid.min.js";

export function mermaidFile(): string {
  return join(dirname(require.resolve("mermaid/package.json")), "dist", "mermaid.min.js");
}

/**
 * No remote origin anywhere: scripts, styles, images and fetches come from the board itself. Mermaid puts
 * a <style> element and style attributes in the SVG it draws, hence 'unsafe-inline' for styles only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** What the server reads; the board's refresher provides it. */
export interface BoardSource {
  classView(): ClassView;
  /** One cell with its trace and the lab's diagram, or undefined when the lab or column is unknown. */
  cellDetail(lab: string, column: string): CellDetail | undefined;
}

export interface BoardServerOptions {
  source: BoardSource;
  host?: string;
  port?: number;
  /**
   * Required on every request when set (query `token`, header `x-netlab-token` or `Authorization: Bearer`,
   * or the cookie the page gets when opened with the token). The board sets one whenever it listens on
   * anything but the loopback address.
   */
  token?: string;
}

export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost";
}

/** A host the server can bind: an IP address or localhost. */
export function isBindableHost(host: string): boolean {
  return isIP(host) !== 0 || host === "localhost";
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison: equal-length digests, so neither the length nor a prefix leaks through timing. */
export function tokenMatches(given: string | undefined, token: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

function givenTokens(req: IncomingMessage, url: URL): { value: string; viaQuery: boolean }[] {
  const out: { value: string; viaQuery: boolean }[] = [];
  const q = url.searchParams.get("token");
  if (q !== null) out.push({ value: q, viaQuery: true });
  const header = req.headers["x-netlab-token"];
  if (typeof header === "string") out.push({ value: header, viaQuery: false });
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer ")) out.push({ value: auth.slice(7), viaQuery: false });
  const cookie = cookieValue(req, TOKEN_COOKIE);
  if (cookie !== undefined) out.push({ value: cookie, viaQuery: false });
  return out;
}

export interface BoardServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the board's HTTP server: GET only, read-only JSON under /api/, the page and Mermaid otherwise. */
export async function startBoardServer(options: BoardServerOptions): Promise<BoardServer> {
  const host = options.host ?? DEFAULT_BOARD_HOST;
  const pages = Object.fromEntries(Object.entries(STATIC).map(([path, s]) => [path, { type: s.type, body: readFileSync(join(STATIC_DIR, s.file)) }]));
  const mermaid = mermaidFile();
  const mermaidSize = statSync(mermaid).size;
  let port = 0;

  const send = (res: ServerResponse, status: number, type: string, body: Buffer | string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type, "content-length": String(Buffer.byteLength(body)), ...extra });
    res.end(body);
  };
  const json = <T>(res: ServerResponse, status: number, schema: ZodType<T>, value: T, extra: Record<string, string> = {}) => {
    const checked = schema.safeParse(value);
    if (!checked.success) {
      // Only where it broke: the values themselves are what must not be sent.
      const body = { error: `netlab internal error (please report it): the response does not fit its schema at ${checked.error.issues[0]?.path.join(".") || "(top level)"}` };
      return send(res, 500, "application/json; charset=utf-8", JSON.stringify(body), { "cache-control": "no-store" });
    }
    send(res, status, "application/json; charset=utf-8", scrubbedJson(checked.data), { "cache-control": "no-store", ...extra });
  };
  const error = (res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}) => json(res, status, errorBodySchema, { error: message }, extra);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://board.invalid");
    if (req.method !== "GET") return error(res, 405, `The class board is read-only: ${req.method} is not allowed, only GET. Inject, solve and reset are lab CLI verbs.`, { allow: "GET" });
    // DNS rebinding: on the loopback address, a page from elsewhere must not reach the board under another name.
    if (!options.token) {
      const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
      if (!allowed.includes(req.headers.host ?? "")) return error(res, 421, `Unexpected Host header "${req.headers.host ?? ""}"; open the board at http://127.0.0.1:${port}/.`);
    }
    let setCookie: Record<string, string> = {};
    if (options.token) {
      const given = givenTokens(req, url);
      const ok = given.find((g) => tokenMatches(g.value, options.token!));
      if (!ok) return error(res, 401, "This board needs the token it printed when it started: open the URL it printed (…/?token=…), or send the header x-netlab-token.");
      // The page's scripts and API calls then carry the token as a cookie, never in a URL of their own.
      if (ok.viaQuery) setCookie = { "set-cookie": `${TOKEN_COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/` };
    }
    const path = url.pathname;
    if (path === "/api/class") return json(res, 200, classViewSchema, options.source.classView(), setCookie);
    if (path === "/api/cell") {
      const lab = url.searchParams.get("lab");
      const column = url.searchParams.get("column");
      if (!lab || !column) return error(res, 400, "GET /api/cell needs ?lab=ID&column=KEY (a column key from /api/class).", setCookie);
      const detail = options.source.cellDetail(lab, column);
      if (!detail) return error(res, 404, `No cell for lab "${lab}" and column "${column}"; /api/class lists the labs and the column keys.`, setCookie);
      return json(res, 200, cellDetailSchema, detail, setCookie);
    }
    if (path.startsWith("/api/")) return error(res, 404, `Unknown API path ${path}; the board serves GET /api/class and GET /api/cell.`, setCookie);
    if (path === MERMAID_PATH) {
      res.writeHead(200, { ...SECURITY_HEADERS, "content-type": "text/javascript; charset=utf-8", "content-length": String(mermaidSize), "cache-control": "max-age=3600", ...setCookie });
      createReadStream(mermaid).pipe(res);
      return;
    }
    const page = pages[path];
    if (page) return send(res, 200, page.type, page.body, { "cache-control": "no-cache", ...setCookie });
    return send(res, 404, "text/plain; charset=utf-8", "Not found.\n", setCookie);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) error(res, 500, `netlab internal error: ${(e as Error).message}`);
      else res.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_BOARD_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
