import type { FactCause, SteadyFact, SteadyFactKind, SteadyState } from "./steady-state";
import type { Localized } from "./types";

/**
 * A difference a fault is meant to cause, declared as data by its scenario: facts of this kind whose
 * `from` and `to` match (exact names, or a prefix ending in `*`; left out: any).
 */
export interface SteadyStateEffect {
  kind: SteadyFactKind;
  from?: string;
  to?: string;
}

/**
 * Damage done elsewhere in the lab: a fact of the baseline's steady state that no longer holds (or holds
 * differently), and that no active fault declares. Never a pass.
 */
export interface CollateralEntry {
  kind: "collateral";
  /** The steady-state fact, `kind|from|to`. */
  fact: string;
  factKind: SteadyFactKind;
  /** The broken pair or component in words: "VPC01-Private-A-10.1.20.101 → the internet". */
  subject: string;
  /** Where explain finds it blocked (a route table, a security group, an instance…), else the subject's own component. */
  component: string;
  /** explain's reason code (NO_ROUTE, SG_INGRESS_DENY, INSTANCE_NOT_RUNNING…), CHANGED when it works differently, GONE when it is no longer there. */
  reason: string;
  /** The baseline's value and the value now. */
  was: string;
  now: string;
  /** For the instructor: what broke and where (it may name the cause). */
  instructor: Localized;
  /** For the student: what no longer works, never the answer. */
  hint: Localized;
}

export interface UnknownFact {
  fact: string;
  subject: string;
  /** Why it could not be known (the probe could not run…). */
  why: string;
}

export interface SteadyStateComparison {
  /** `same`: nothing broke beyond the declared effects; `collateral`: something did; `inconclusive`: some fact could not be known. */
  status: "same" | "collateral" | "inconclusive";
  /** Facts compared. */
  compared: number;
  collateral: CollateralEntry[];
  /** Differences an active fault declares (its own effects), by fact key. */
  expected: string[];
  /** Facts that did not hold at baseline and do now (more open, not damage), by fact key. */
  widened: string[];
  /** Baseline facts that could not be known now: never a pass. */
  unknown: UnknownFact[];
}

const glob = (pattern: string | undefined, value: string): boolean =>
  pattern === undefined || pattern === value || (pattern.endsWith("*") && value.startsWith(pattern.slice(0, -1)));

/** Whether a declared effect covers this fact. */
export function effectCovers(effect: SteadyStateEffect, fact: Pick<SteadyFact, "kind" | "from" | "to">): boolean {
  return effect.kind === fact.kind && glob(effect.from, fact.from) && glob(effect.to, fact.to);
}

const SUBJECT: Record<SteadyFactKind, (f: Pick<SteadyFact, "from" | "to">) => Localized> = {
  reach: (f) => ({ en: `${f.from} → ${f.to} (ping)`, ko: `${f.from} → ${f.to} (ping)` }),
  internet: (f) => ({ en: `${f.from} → the internet`, ko: `${f.from} → 인터넷` }),
  alb: (f) => ({ en: `${f.from} → ${f.to} (HTTP)`, ko: `${f.from} → ${f.to} (HTTP)` }),
  "web-target": (f) => ({ en: `target ${f.to} of ${f.from}`, ko: `${f.from}의 대상 ${f.to}` }),
  ssm: (f) => ({ en: `Session Manager → ${f.from}`, ko: `Session Manager → ${f.from}` }),
  dns: (f) => ({ en: `${f.to} resolved in ${f.from}`, ko: `${f.from}에서 ${f.to} 이름 조회` }),
  alarm: (f) => ({ en: `alarm ${f.from}`, ko: `알람 ${f.from}` }),
  "flow-log": (f) => ({ en: `flow logs of ${f.from}`, ko: `${f.from}의 Flow Logs` }),
};

/** The student's hint: the symptom (what stopped working), never the component that causes it. */
const HINT: Record<SteadyFactKind, (f: Pick<SteadyFact, "from" | "to">) => Localized> = {
  reach: (f) => ({
    en: `${f.from} could ping ${f.to} before the fault, and now it cannot. Something changed outside what the task needed: review each change you made.`,
    ko: `장애 전에는 ${f.from}에서 ${f.to}로 ping이 되었지만 지금은 되지 않습니다. 과제에 필요한 범위 밖에서 무언가 바뀌었습니다. 변경한 내용을 하나씩 다시 확인하세요.`,
  }),
  internet: (f) => ({
    en: `${f.from} no longer reaches the internet the way it did before the fault. Review each change you made, and follow that instance's packets out and back.`,
    ko: `${f.from}이(가) 장애 전과 같은 방식으로 인터넷에 연결되지 않습니다. 변경한 내용을 다시 확인하고, 그 인스턴스의 패킷이 나가고 돌아오는 길을 따라가 보세요.`,
  }),
  alb: (f) => ({
    en: `${f.from} no longer gets an answer from ${f.to}, which it did before the fault. Review each change you made.`,
    ko: `장애 전에는 ${f.from}에서 ${f.to}의 응답을 받았지만 지금은 받지 못합니다. 변경한 내용을 다시 확인하세요.`,
  }),
  "web-target": (f) => ({
    en: `Target ${f.to} of ${f.from} is no longer as it was before the fault (registered and healthy). Look at its row in the Targets tab.`,
    ko: `${f.from}의 대상 ${f.to}이(가) 장애 전 상태(등록되어 있고 healthy)가 아닙니다. 대상(Targets) 탭에서 해당 행을 확인하세요.`,
  }),
  ssm: (f) => ({
    en: `Session Manager no longer reaches ${f.from}, which it did before the fault. What does its agent need to reach, and did one of your changes touch that path?`,
    ko: `장애 전에는 Session Manager로 ${f.from}에 접속할 수 있었지만 지금은 되지 않습니다. 에이전트가 무엇에 접근해야 하는지, 변경한 내용 중 그 경로를 건드린 것이 있는지 확인하세요.`,
  }),
  dns: (f) => ({
    en: `${f.to} no longer resolves in ${f.from} as it did before the fault. Review each change you made.`,
    ko: `${f.from}에서 ${f.to} 이름이 장애 전처럼 조회되지 않습니다. 변경한 내용을 다시 확인하세요.`,
  }),
  alarm: (f) => ({
    en: `The alarm ${f.from} is no longer configured as it was before the fault. Compare it with what the lab set up.`,
    ko: `알람 ${f.from}의 설정이 장애 전과 다릅니다. 랩이 처음 구성한 설정과 비교해 보세요.`,
  }),
  "flow-log": (f) => ({
    en: `${f.from} no longer has the flow logs it had before the fault. Review each change you made.`,
    ko: `${f.from}에 장애 전에 있던 Flow Logs가 더 이상 없습니다. 변경한 내용을 다시 확인하세요.`,
  }),
};

/** A fact's value in Korean, for the instructor's Korean text (names and addresses stay as they are). */
function valueKo(value: string): string {
  const words: Record<string, string> = { reachable: "통신 가능", blocked: "차단됨", "no answer": "응답 없음", gone: "사라짐", none: "없음", unknown: "알 수 없음" };
  if (words[value]) return words[value];
  if (value.startsWith("via ")) return `${value.slice(4)} 경유`;
  if (value.startsWith("reachable via ")) return `${value.slice("reachable via ".length)} 경유로 통신 가능`;
  return value;
}

function collateralOf(was: SteadyFact, now: SteadyFact | undefined): CollateralEntry {
  const subject = SUBJECT[was.kind](was);
  const nowValue = now?.value ?? "gone";
  const cause: FactCause | undefined = now?.blockedBy;
  const reason = !now ? "GONE" : now.ok ? "CHANGED" : (cause?.reason ?? "CHANGED");
  const component = cause?.component ?? (was.kind === "web-target" || was.kind === "reach" ? was.to : was.from);
  const where = cause ? `, blocked at ${cause.component} (${cause.reason}): ${cause.detail}` : now?.detail ? ` (${now.detail})` : "";
  const whereKo = cause ? `. 차단 위치: ${cause.component} (${cause.reason}): ${cause.detail}` : now?.detail ? ` (${now.detail})` : "";
  const wasText = `${was.value}${was.detail ? ` (${was.detail})` : ""}`;
  return {
    kind: "collateral",
    fact: was.key,
    factKind: was.kind,
    subject: subject.en,
    component,
    reason,
    was: was.value,
    now: nowValue,
    instructor: {
      en: `Collateral damage: ${subject.en} was ${wasText} at baseline and is ${nowValue} now${where}. No active fault causes this.`,
      ko: `부수 피해: ${subject.ko} — 기준 상태: ${valueKo(was.value)}${was.detail ? ` (${was.detail})` : ""}, 현재: ${valueKo(nowValue)}${whereKo}. 활성화된 장애로 인한 변화가 아닙니다.`,
    },
    hint: HINT[was.kind](was),
  };
}

/**
 * Compares a steady state with its baseline. A baseline fact that no longer holds, or holds differently
 * (another egress, another DNS answer, another alarm configuration), is collateral damage unless one of
 * `expected` (the active faults' declared effects) covers it. A fact that holds now and did not at baseline
 * is only "widened". A fact that could not be known now is unknown: the comparison is then inconclusive
 * at best, never "same".
 */
export function compareSteadyState(baseline: SteadyState, now: SteadyState, expected: readonly SteadyStateEffect[] = []): SteadyStateComparison {
  const current = new Map(now.facts.map((f) => [f.key, f]));
  const out: SteadyStateComparison = { status: "same", compared: baseline.facts.length, collateral: [], expected: [], widened: [], unknown: [] };
  for (const was of baseline.facts) {
    const is = current.get(was.key);
    if (is && is.ok === undefined && was.ok !== false) {
      out.unknown.push({ fact: was.key, subject: SUBJECT[was.kind](was).en, why: is.detail ?? "it could not be known" });
      continue;
    }
    if (was.ok === false || was.ok === undefined) {
      if (is?.ok === true) out.widened.push(was.key);
      continue;
    }
    if (is && is.ok === true && is.value === was.value) continue;
    if (expected.some((e) => effectCovers(e, was))) {
      out.expected.push(was.key);
      continue;
    }
    out.collateral.push(collateralOf(was, is));
  }
  out.status = out.collateral.length ? "collateral" : out.unknown.length ? "inconclusive" : "same";
  return out;
}

/**
 * Collateral entries grouped by where they break, one line each, for people:
 * "collateral damage at VPC01-Private-Subnet-A-RT (NO_ROUTE): VPC01-Private-A-10.1.20.101 → the internet; …".
 */
export function summarizeCollateral(entries: readonly CollateralEntry[], maxSubjects = Infinity): string[] {
  return groupCollateral(entries).map(({ where, entries: list }) => {
    const shown = list.slice(0, maxSubjects).map((e) => e.subject);
    const more = list.length > shown.length ? ` and ${list.length - shown.length} more` : "";
    return `collateral damage at ${where}: ${shown.join("; ")}${more}`;
  });
}

/** Collateral entries grouped by component and reason, in order of first appearance. */
export function groupCollateral(entries: readonly CollateralEntry[]): { where: string; entries: CollateralEntry[] }[] {
  const groups = new Map<string, CollateralEntry[]>();
  for (const e of entries) {
    const key = `${e.component} (${e.reason})`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups].map(([where, list]) => ({ where, entries: list }));
}
