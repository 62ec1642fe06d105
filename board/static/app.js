// The class board's page: plain ES module, no build step. Every piece of data is put in the page as
// text (textContent), never as HTML; the only markup inserted is the SVG that Mermaid draws (strict mode).
import { STRINGS } from "./i18n.js";

const POLL_MS = 2000;
const STATES = ["pass", "fail", "inconclusive", "collateral", "not-injected"];
const SYMBOL = { pass: "✓", fail: "✗", inconclusive: "?", collateral: "⚠", "not-injected": "–" };

const $ = (id) => document.getElementById(id);
const state = { data: null, lang: null, selected: null, detail: null, detailFor: null, reachable: true };
const t = () => STRINGS[state.lang ?? "en"];

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "class") e.className = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

const secondsSince = (iso) => Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
const localized = (text) => (text ? text[state.lang] ?? text.en : "");

function setLang(lang) {
  state.lang = lang;
  try {
    localStorage.setItem("netlab-board-lang", lang);
  } catch {
    // Storage may be off; the toggle still works for this page.
  }
  document.documentElement.lang = lang;
  render();
  if (state.detail) renderDetail();
}

// ---- the table -------------------------------------------------------------------------------------

function renderHeader() {
  const d = state.data;
  $("title").textContent = t().title;
  document.title = t().title;
  $("backend").textContent = d.board.backend === "sim" ? t().offline : `${t().aws} ${d.board.region}`;
  const parts = [];
  if (d.board.grading) parts.push(t().grading);
  if (d.board.lastRun) parts.push(t().lastRun(t().ago(secondsSince(d.board.lastRun.finishedAt)), `${d.board.lastRun.durationMs} ms`));
  if (!d.board.grading && d.board.nextRunAt) parts.push(t().nextRun(t().seconds(Math.max(0, Math.round((Date.parse(d.board.nextRunAt) - Date.now()) / 1000)))));
  $("run-status").textContent = parts.join(" · ");
  $("diagram-zoom").addEventListener("click", toggleZoom);
for (const lang of ["en", "ko"]) $(`lang-${lang}`).setAttribute("aria-pressed", String(state.lang === lang));
}

function renderTable() {
  const d = state.data;
  const thead = $("board").tHead;
  const tbody = $("board").tBodies[0];
  const groups = d.scenarios.map((s) => ({ s, cols: d.columns.filter((c) => c.scenario === s.id) })).filter((g) => g.cols.length);
  const top = el("tr", {}, el("th", { rowspan: 2, scope: "col" }, t().participant), groups.map((g) => el("th", { colspan: g.cols.length, scope: "colgroup", title: g.s.id }, localized(g.s.title))));
  const second = el(
    "tr",
    {},
    d.columns.map((c) => el("th", { class: "check", scope: "col", title: localized(c.title), dataset: { column: c.key } }, c.kind === "collateral" ? t().collateralColumn : c.check)),
  );
  thead.replaceChildren(top, second);
  tbody.replaceChildren(...d.labs.map((lab) => renderRow(lab, d.columns)));
  $("empty").hidden = d.columns.length > 0;
  $("empty").textContent = t().noColumns;
  $("legend").replaceChildren(...STATES.map((s) => el("li", { class: `state-${s}` }, `${SYMBOL[s]} ${t().states[s]}: ${t().stateHelp[s]}`)));
}

function renderRow(lab, columns) {
  const when = lab.lastGradedAt ? t().graded(t().ago(secondsSince(lab.lastGradedAt))) : t().neverGraded;
  const scores = lab.grades.map((g) => t().scoreOf(g.scenario, g.score)).join(" · ");
  const head = el(
    "th",
    { class: "lab", scope: "row", title: scores },
    el("span", { class: "id" }, lab.id),
    el("span", { class: "when" }, when),
    lab.error ? el("span", { class: "error", role: "note" }, `${lab.lastGradedAt ? `${t().stale}: ` : ""}${lab.error.message}`) : null,
  );
  const cells = columns.map((c) => {
    const cell = lab.cells[c.key];
    if (!cell) return el("td", { class: "cell" });
    const selected = state.selected?.lab === lab.id && state.selected?.column === c.key;
    const label = `${SYMBOL[cell.state]} ${t().states[cell.state]}`;
    return el(
      "td",
      { class: "cell" },
      el(
        "button",
        {
          type: "button",
          class: `state-${cell.state}`,
          "aria-pressed": String(selected),
          "aria-label": `${lab.id} · ${c.check ?? t().collateralColumn}: ${t().states[cell.state]}`,
          title: cell.evidence,
          dataset: { lab: lab.id, column: c.key, state: cell.state },
          onclick: () => select(lab.id, c.key),
        },
        label,
      ),
    );
  });
  return el("tr", { class: lab.error && lab.lastGradedAt ? "stale" : "", dataset: { lab: lab.id } }, head, cells);
}

function render() {
  if (!state.data) return;
  renderHeader();
  renderTable();
}

// ---- polling ---------------------------------------------------------------------------------------

async function getJson(url) {
  const res = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
  return body;
}

async function poll() {
  try {
    const data = await getJson("/api/class");
    state.data = data;
    state.lang ??= storedLang() ?? data.board.lang;
    state.reachable = true;
    $("notice").hidden = true;
    render();
    await refreshDetail();
  } catch (e) {
    state.reachable = false;
    $("notice").hidden = false;
    $("notice").textContent = `${t().unreachable} (${e.message})`;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function storedLang() {
  try {
    const v = localStorage.getItem("netlab-board-lang");
    return v === "en" || v === "ko" ? v : null;
  } catch {
    return null;
  }
}

// ---- the detail: evidence, hint, instructor text, trace, diagram -----------------------------------

function select(lab, column) {
  state.selected = { lab, column };
  state.detail = null;
  state.detailFor = null;
  location.hash = `#${encodeURIComponent(lab)}|${encodeURIComponent(column)}`;
  render();
  void refreshDetail();
}

/** Fetches the selected cell again when its lab was graded since it was last shown. */
async function refreshDetail() {
  const sel = state.selected;
  if (!sel || !state.data) return;
  const lab = state.data.labs.find((l) => l.id === sel.lab);
  // The cell is gone (its fault was reset, the lab left the config): so is its detail.
  if (!lab || !lab.cells[sel.column]) return closeDetail();
  const version = `${lab.lastGradedAt}|${lab.error?.at ?? ""}`;
  if (state.detailFor === version && state.detail) return;
  let detail;
  try {
    detail = await getJson(`/api/cell?lab=${encodeURIComponent(sel.lab)}&column=${encodeURIComponent(sel.column)}`);
  } catch {
    // Between two polls the cell went away; the next poll redraws the table without it.
    return closeDetail();
  }
  if (state.selected !== sel) return;
  state.detail = detail;
  state.detailFor = version;
  renderDetail();
}

function renderDetail() {
  const d = state.detail;
  const box = $("detail");
  box.hidden = !d;
  if (!d) return;
  $("detail-close").setAttribute("aria-label", t().close);
  const title = d.column.kind === "collateral" ? t().collateralColumn : d.column.check;
  $("detail-title").textContent = `${d.lab} · ${title}`;
  $("detail-status").replaceChildren(
    el("strong", { class: `state-${d.cell.state}`, dataset: { state: d.cell.state } }, ` ${SYMBOL[d.cell.state]} ${t().states[d.cell.state]} `),
    ` ${localized(d.column.title)}`,
    d.gradedAt ? ` · ${t().graded(t().ago(secondsSince(d.gradedAt)))}` : "",
  );
  const rows = [[t().evidence, d.cell.evidence, "evidence"]];
  if (d.cell.hint) rows.push([t().hint, localized(d.cell.hint), "hint"]);
  if (d.cell.instructor) {
    const ko = state.lang === "ko" && d.cell.instructor.ko;
    rows.push([t().instructor, ko ? d.cell.instructor.ko : `${d.cell.instructor.en}${state.lang === "ko" ? ` ${t().englishOnly}` : ""}`, "instructor"]);
  }
  $("detail-text").replaceChildren(...rows.flatMap(([k, v, id]) => [el("dt", {}, k), el("dd", { dataset: { field: id } }, v)]));
  if (d.cell.entries?.length) {
    $("detail-text").append(
      el("dt", {}, t().entries),
      el("dd", { dataset: { field: "entries" } }, el("ul", {}, d.cell.entries.map((e) => el("li", {}, el("strong", {}, e.component), ` (${e.reason}): ${localized(e.instructor)} — ${t().hint}: ${localized(e.hint)}`)))),
    );
  }
  renderTrace(d.trace);
  void renderDiagram(d.diagram);
}

function renderTrace(trace) {
  const box = $("detail-trace");
  if (!trace) return box.replaceChildren();
  const verdict = trace.reachable ? t().reachable : t().notReachable;
  const hops = trace.hops.map((h) => el("li", { class: trace.blockedBy?.component === h.component ? "blocked" : "" }, h.component, el("span", { class: "hop-kind" }, h.kind)));
  box.replaceChildren(
    ...[
    el("h3", {}, t().trace),
    el("p", {}, `${trace.from} → ${trace.to}: `, el("strong", {}, verdict)),
    el("ol", { class: "hops" }, hops),
    trace.blockedBy ? el("p", { class: "blocked-by" }, el("strong", {}, t().blockedAt(trace.blockedBy.component, trace.blockedBy.reason)), ` — ${trace.blockedBy.detail}`) : null,
    trace.egressIp ? el("p", {}, t().egress(trace.egressIp)) : null,
    ].filter(Boolean),
  );
}

let mermaidReady;
/** Mermaid is loaded only when a diagram is shown (it is most of the page's weight), from the board itself. */
function loadMermaid() {
  mermaidReady ??= new Promise((resolve, reject) => {
    const s = el("script", { src: "/vendor/mermaid.min.js" });
    s.onload = () => {
      window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default", flowchart: { htmlLabels: false, useMaxWidth: false } });
      resolve(window.mermaid);
    };
    s.onerror = () => reject(new Error("/vendor/mermaid.min.js did not load"));
    document.head.append(s);
  });
  return mermaidReady;
}

let drawing = 0;
async function renderDiagram(diagram) {
  const fig = $("detail-diagram");
  const box = $("diagram");
  if (!diagram) {
    fig.hidden = true;
    box.replaceChildren();
    return;
  }
  fig.hidden = false;
  const caption = diagram.marks.length ? diagram.marks.map((m) => t().marked(m)).join(" · ") : t().noMark;
  $("diagram-caption").textContent = `${t().diagram}: ${caption}`;
  $("diagram-zoom").textContent = box.classList.contains("actual") ? t().fitWidth : t().actualSize;
  if (box.dataset.source === diagram.mermaid) return;
  const mine = ++drawing;
  box.replaceChildren(el("p", {}, t().loadingDiagram));
  try {
    const mermaid = await loadMermaid();
    const { svg } = await mermaid.render(`netlab-diagram-${mine}`, diagram.mermaid);
    if (mine !== drawing) return;
    box.innerHTML = svg;
    box.dataset.source = diagram.mermaid;
  } catch (e) {
    if (mine === drawing) box.replaceChildren(el("p", { class: "notice" }, t().diagramFailed(e.message ?? String(e))));
  }
}

/** Actual size scrolls the diagram (not the page) to the first marked component. */
function toggleZoom() {
  const box = $("diagram");
  const actual = box.classList.toggle("actual");
  $("diagram-zoom").textContent = actual ? t().fitWidth : t().actualSize;
  const marked = box.querySelector(".blocked");
  if (!actual || !marked) return;
  const r = marked.getBoundingClientRect();
  const c = box.getBoundingClientRect();
  box.scrollLeft += r.left - c.left - c.width / 2 + r.width / 2;
  box.scrollTop += r.top - c.top - c.height / 2 + r.height / 2;
}

// ---- start -----------------------------------------------------------------------------------------

$("diagram-zoom").addEventListener("click", toggleZoom);
for (const lang of ["en", "ko"]) $(`lang-${lang}`).addEventListener("click", () => setLang(lang));
function closeDetail() {
  state.selected = null;
  state.detail = null;
  state.detailFor = null;
  history.replaceState(null, "", location.pathname + location.search);
  renderDetail();
  render();
}

$("detail-close").addEventListener("click", closeDetail);
const fromHash = location.hash.slice(1).split("|").map(decodeURIComponent);
if (fromHash.length === 2) state.selected = { lab: fromHash[0], column: fromHash[1] };
// The header's clocks ("3 s ago") move between polls.
setInterval(() => state.data && renderHeader(), 1000);
void poll();
