import { DeleteSubnetCommand, DeleteVpcCommand, DescribeInternetGatewaysCommand, DescribeSubnetsCommand, DescribeVpcsCommand, DetachInternetGatewayCommand, DeleteInternetGatewayCommand } from "@aws-sdk/client-ec2";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAwsClients, destroyClients, type AwsClients } from "../cloud/aws/clients";
import { describeLab } from "../cloud/aws/describe";
import type { Change } from "../cloud/change";
import { probesOf } from "../checks/evaluate";
import type { CheckSpec } from "../checks/types";
import { SCENARIOS } from "../scenarios";
import type { Scenario } from "../scenarios/types";
import { cdktf, resourcesInState, synthForEmulator, type DeployEnvironment } from "./deploy";
import { describedItems, diffDescribed, namedBy, unaccounted, type DescribedItem } from "./describe-diff";
import { lab, labInProcess, simLab, type LabRun } from "./lab-cli";
import { startMoto, type EmulatorPatch, type MotoServer } from "./moto";
import { checkPrerequisites } from "./prerequisites";
import { stopRunning } from "./processes";

export const E2E_LAB = "s01";
export const E2E_REGION = "ap-northeast-2";
export const ENGINES = ["cdktf", "cdktn"] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * Check kinds whose verdict the emulator cannot give: moto's target health and alarm states are not real
 * (targets are never probed, no metric ever arrives). Their verdicts are reported, never compared.
 */
export const EMULATOR_UNMODELLED_KINDS: ReadonlySet<CheckSpec["kind"]> = new Set(["target-health", "alarm", "alarm-fired"]);
/**
 * `lab check` waits, by default, for instances to come Online in Systems Manager (right after a deploy on
 * AWS, agents are still registering). No agent ever registers on the emulator: grade at once.
 */
export const NO_ONLINE_WAIT = ["--wait-online", "0"] as const;
/** Changes made inside an instance by Run Command: the emulator runs no script, so they cannot be made there. */
export const isOsChange = (c: Change) => c.kind === "set-os-state";

export interface ScenarioReport {
  id: string;
  injected: boolean;
  failedAsExpected: boolean;
  reset: boolean;
  baselineDiff: number;
}

export interface E2eReport {
  deploy: { ok: boolean; resources: number; seconds: number };
  scenarios: ScenarioReport[];
  snapshotExplain: { queries: number; agreeWithSim: boolean };
  destroy: { ok: boolean };
  leftovers: { exit: number; items: number };
  emulatorPatches: EmulatorPatch[];
}

/** What the run found wrong, one sentence each (empty: the class day held on the emulator). */
export type Findings = string[];

export interface E2eOptions {
  engine: Engine;
  /** Only these scenarios (development); default all 10. */
  scenarios?: string[];
  /** Progress lines, for a human. */
  log: (line: string) => void;
  /** Keep the work dir (cdktf.out, state, saved snapshot) for a look afterwards. */
  keep?: boolean;
}

/** Explain queries answered on the saved describe outputs and on the simulator: they must agree. */
export const EXPLAIN_QUERIES: readonly { from: string; to: string; port?: number }[] = [
  { from: "VPC02-Private-A-10.2.20.101", to: "internet" },
  { from: "VPC01-Private-B-10.1.24.101", to: "internet" },
  { from: "mgmtvpc-Workstation-10.254.0.101", to: "10.11.20.101", port: 80 },
  { from: "VPC02-Private-B-10.2.24.101", to: "10.1.20.101", port: 443 },
  { from: "Private-EC2-1", to: "internet" },
  { from: "DMZVPC-Private-B-10.11.24.102", to: "internet" },
];

interface CheckVerdict {
  id: string;
  status: string;
}

function verdicts(r: LabRun): CheckVerdict[] {
  const j = r.json as { checks?: CheckVerdict[] } | undefined;
  return (j?.checks ?? []).map((c) => ({ id: c.id, status: c.status }));
}

const isProbe = (c: CheckSpec) => probesOf(c).length > 0;

/**
 * Compares one check run on the emulator with the simulator's for the same state. Probe checks must be
 * inconclusive on the emulator (no script runs there); control-plane checks the emulator models must
 * give the sim's verdict. Returns the disagreements, one sentence each.
 */
export function compareWithSim(scenario: Scenario, emulator: CheckVerdict[], sim: CheckVerdict[], when: string): string[] {
  const out: string[] = [];
  for (const spec of scenario.checks) {
    const e = emulator.find((v) => v.id === spec.id);
    const s = sim.find((v) => v.id === spec.id);
    if (!e) {
      out.push(`${scenario.id} ${when}: the emulator's check gave no verdict for ${spec.id}`);
      continue;
    }
    if (isProbe(spec)) {
      if (e.status !== "inconclusive") out.push(`${scenario.id} ${when}: probe check ${spec.id} is ${e.status} on the emulator, where no script runs; expected inconclusive`);
    } else if (!EMULATOR_UNMODELLED_KINDS.has(spec.kind) && e.status !== s?.status) {
      out.push(`${scenario.id} ${when}: control-plane check ${spec.id} is ${e.status} on the emulator but ${s?.status ?? "missing"} on the simulator`);
    }
  }
  return out;
}

async function describeItems(c: AwsClients): Promise<Map<string, DescribedItem>> {
  return describedItems(await describeLab(c, E2E_LAB));
}

/**
 * moto gives every region a default VPC, as AWS does; with it the lab's 5 VPCs do not fit the default
 * quota of 5, and preflight says so. The harness takes preflight's first way out: delete it.
 */
async function deleteDefaultVpc(c: AwsClients): Promise<string[]> {
  const vpcs = (await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }))).Vpcs ?? [];
  for (const vpc of vpcs) {
    const filter = [{ Name: "vpc-id", Values: [vpc.VpcId!] }];
    for (const s of (await c.ec2.send(new DescribeSubnetsCommand({ Filters: filter }))).Subnets ?? []) await c.ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId }));
    for (const g of (await c.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpc.VpcId!] }] }))).InternetGateways ?? []) {
      await c.ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId, VpcId: vpc.VpcId }));
      await c.ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: g.InternetGatewayId }));
    }
    await c.ec2.send(new DeleteVpcCommand({ VpcId: vpc.VpcId }));
  }
  return vpcs.map((v) => v.VpcId ?? "");
}

/** The environment of everything that talks to the emulator: its endpoint for every SDK client, dummy keys, no profile. */
export function emulatorEnv(base: NodeJS.ProcessEnv, endpoint: string, workDir: string, configFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of Object.keys(env)) if (/^AWS_/.test(k)) delete env[k];
  return {
    ...env,
    // The SDK's standard variable: one endpoint for every service client (STS and Service Quotas too).
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "emulator",
    AWS_SECRET_ACCESS_KEY: "emulator",
    AWS_REGION: E2E_REGION,
    AWS_DEFAULT_REGION: E2E_REGION,
    AWS_EC2_METADATA_DISABLED: "true",
    // Never the instructor's own profiles or credentials.
    AWS_CONFIG_FILE: join(workDir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, "no-aws-credentials"),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    NETLAB_CONFIG: configFile,
  };
}

/** The whole class day on the emulator. Always stops moto and the children it started. */
export async function runE2e(options: E2eOptions): Promise<{ report: E2eReport; findings: Findings }> {
  const log = options.log;
  const findings: Findings = [];
  const prereq = await checkPrerequisites();
  const workDir = mkdtempSync(join(tmpdir(), "netlab-e2e-"));
  const configFile = join(workDir, "netlab.config.json");
  writeFileSync(configFile, JSON.stringify({ region: E2E_REGION, participants: [{ id: E2E_LAB }], terraformBackend: { type: "local" } }, null, 2));
  const simState = join(workDir, "sim");
  mkdirSync(simState);
  const report: E2eReport = {
    deploy: { ok: false, resources: 0, seconds: 0 },
    scenarios: [],
    snapshotExplain: { queries: 0, agreeWithSim: false },
    destroy: { ok: false },
    leftovers: { exit: -1, items: -1 },
    emulatorPatches: [],
  };
  let moto: MotoServer | undefined;
  let clients: AwsClients | undefined;
  const savedEnv = { ...process.env };
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the run and the emulator`);
    stopRunning();
    // The emulator's state goes with it: nothing of the lab outlives the run, so there is nothing to destroy.
    void (moto?.stop() ?? Promise.resolve()).finally(() => {
      if (!options.keep) rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    log(`moto: starting (python ${prereq.python}, provider ${prereq.providerVersion} from ${prereq.pluginDir})`);
    moto = await startMoto({ python: prereq.python });
    report.emulatorPatches = moto.patches;
    const env = emulatorEnv(process.env, moto.endpoint, workDir, configFile);
    // This process's own SDK clients (describe, default VPC) reach the emulator the same way.
    Object.assign(process.env, env);
    clients = createAwsClients({ id: E2E_LAB }, E2E_REGION);
    log(`moto: ${moto.endpoint}, ${moto.patches.length} patches`);

    const first = await lab(["preflight"], env);
    if (first.exit !== 1) findings.push(`preflight before the deploy exited ${first.exit}; with the region's default VPC the lab's 5 VPCs do not fit the quota of 5, so it must refuse (exit 1)`);
    const removed = await deleteDefaultVpc(clients);
    const second = await lab(["preflight"], env);
    log(`preflight: exit ${first.exit} with the default VPC; deleted ${removed.join(", ") || "nothing"}; exit ${second.exit} without it`);
    if (second.exit !== 0) findings.push(`preflight exited ${second.exit} once the default VPC was gone: ${second.stdout}${second.stderr}`);

    const d: DeployEnvironment = { workDir, configFile, pluginDir: prereq.pluginDir, engine: options.engine, env };
    const synth = await synthForEmulator(d, { endpoint: moto.endpoint, providerVersion: prereq.providerVersion });
    if (synth.code !== 0) throw new Error(`cdktf synth failed (exit ${synth.code}): ${synth.stderr.slice(-2000)}`);
    log(`synth: ${synth.stacks.join(", ")} in ${synth.seconds.toFixed(1)} s; deploying`);
    const deploy = await cdktf(d, "deploy", synth.stacks, (l) => /Apply complete|Error/.test(l) && log(`  ${l.trim()}`));
    report.deploy = { ok: deploy.code === 0, resources: resourcesInState(d), seconds: Math.round(deploy.seconds) };
    log(`deploy: exit ${deploy.code}, ${report.deploy.resources} resources, ${deploy.seconds.toFixed(0)} s`);
    if (deploy.code !== 0) {
      findings.push(`cdktf deploy failed (exit ${deploy.code}): ${(deploy.stdout + deploy.stderr).split("\n").filter((l) => /Error/.test(l)).slice(0, 10).join(" | ")}`);
    } else {
      await classDay(options, env, clients, simState, workDir, report, findings);
    }
    const destroy = await cdktf(d, "destroy", synth.stacks);
    const left = resourcesInState(d);
    report.destroy = { ok: destroy.code === 0 && left === 0 };
    log(`destroy: exit ${destroy.code}, ${left} resources left in state, ${destroy.seconds.toFixed(0)} s`);
    if (!report.destroy.ok) findings.push(`cdktf destroy exited ${destroy.code} with ${left} resources left in state: ${(destroy.stdout + destroy.stderr).split("\n").filter((l) => /Error/.test(l)).slice(0, 10).join(" | ")}`);
    const leftovers = await lab(["leftovers", "--json"], env);
    const items = (leftovers.json as { leftovers?: unknown[] }[] | undefined)?.reduce((n, r) => n + (r.leftovers?.length ?? 0), 0) ?? -1;
    report.leftovers = { exit: leftovers.exit, items };
    log(`leftovers: exit ${leftovers.exit}, ${items} items`);
    if (leftovers.exit !== 0 || items !== 0) findings.push(`lab leftovers exited ${leftovers.exit} with ${items} items: ${leftovers.stdout}${leftovers.stderr}`);
  } finally {
    process.removeListener("SIGINT", interrupted);
    process.removeListener("SIGTERM", interrupted);
    if (clients) destroyClients(clients);
    await moto?.stop();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
    else log(`kept ${workDir}`);
  }
  return { report, findings };
}

/** status, then every scenario inject → check → reset → check, then snapshot save and explain on it. */
async function classDay(options: E2eOptions, env: NodeJS.ProcessEnv, clients: AwsClients, simState: string, workDir: string, report: E2eReport, findings: Findings): Promise<void> {
  const log = options.log;
  const status = await lab(["status"], env);
  if (status.exit !== 0) findings.push(`lab status exited ${status.exit}: ${status.stderr}`);
  const baseline = await describeItems(clients);
  log(`status: exit ${status.exit}; baseline: ${baseline.size} described resources`);
  const chosen = options.scenarios ? SCENARIOS.filter((s) => options.scenarios!.includes(s.id)) : SCENARIOS;
  for (const scenario of chosen) {
    const started = Date.now();
    const problems: string[] = [];
    const osOnly = scenario.inject.every(isOsChange);
    const inject = await labInProcess(["inject", scenario.id, "--json"], env);
    const afterInject = await describeItems(clients);
    const injectDiff = diffDescribed(baseline, afterInject);
    const injectedChanges = ((inject.json as { changes?: Change[] } | undefined)?.changes ?? []) as Change[];
    const injected = inject.exit === 0;
    if (osOnly) {
      // No SSM Agent runs on the emulator: an inject made inside the instance must be refused (1), leave no ledger entry, and change nothing.
      const status = (inject.json as { status?: string } | undefined)?.status;
      if (inject.exit !== 1 || status !== "refused") problems.push(`${scenario.id}: inject exited ${inject.exit} (${status ?? "no status"}); its changes run inside an instance that is not Online in Systems Manager, so it must be refused (1) with nothing changed`);
      if (injectDiff.length) problems.push(`${scenario.id}: the refused inject changed ${injectDiff.map((x) => x.key).join(", ")}`);
    } else {
      if (!injected) problems.push(`${scenario.id}: inject exited ${inject.exit}: ${inject.stderr.trim() || inject.stdout.trim()}`);
      const named = injectedChanges.flatMap(namedBy);
      const stray = unaccounted(injectDiff, named);
      if (stray.length) problems.push(`${scenario.id}: inject changed resources its ledger does not name: ${stray.map((x) => `${x.key} (${x.kind})`).join(", ")}`);
      const untouched = named.filter((n) => !injectDiff.some((x) => x.involves.includes(n)));
      if (untouched.length) problems.push(`${scenario.id}: its ledger names ${untouched.join(", ")}, but no describe output of it changed`);
    }
    const check = await labInProcess(["check", scenario.id, "--json", ...NO_ONLINE_WAIT], env);
    if (!osOnly) await simLab(["inject", scenario.id], env, simState);
    const simCheck = await simLab(["check", scenario.id, "--json"], env, simState);
    const verdictProblems = compareWithSim(scenario, verdicts(check), verdicts(simCheck), "after inject");
    const failedAsExpected = injected && check.exit !== 0 && verdictProblems.length === 0 && verdicts(check).length === scenario.checks.length;
    problems.push(...verdictProblems);
    if (injected && check.exit === 0) problems.push(`${scenario.id}: check passed with the fault in (exit 0)`);

    const reset = await labInProcess(["reset", scenario.id, "--json"], env);
    if (!osOnly) await simLab(["reset", scenario.id, "--no-verify"], env, simState);
    const afterReset = await describeItems(clients);
    const resetDiff = diffDescribed(baseline, afterReset);
    if (resetDiff.length) problems.push(`${scenario.id}: after reset the lab differs from the post-deploy baseline: ${resetDiff.map((x) => `${x.key} (${x.kind})`).join(", ")}`);
    const status = await labInProcess(["status", "--json"], env);
    const stillActive = JSON.stringify(status.json ?? "").includes(scenario.id);
    const resetOk = injected ? reset.exit !== 1 && reset.exit !== 2 && !stillActive : !stillActive;
    if (!resetOk) problems.push(`${scenario.id}: reset exited ${reset.exit}${stillActive ? " and the fault is still active" : ""}: ${reset.stderr.trim()}`);
    const recheck = await labInProcess(["check", scenario.id, "--json", ...NO_ONLINE_WAIT], env);
    const simRecheck = await simLab(["check", scenario.id, "--json"], env, simState);
    problems.push(...compareWithSim(scenario, verdicts(recheck), verdicts(simRecheck), "after reset"));
    if (recheck.exit === 1) problems.push(`${scenario.id}: check after reset failed (exit 1)`);

    report.scenarios.push({ id: scenario.id, injected, failedAsExpected, reset: resetOk, baselineDiff: resetDiff.length });
    findings.push(...problems);
    log(
      `${scenario.id}: inject ${inject.exit} (${injectDiff.length} differences), check ${check.exit} (sim ${simCheck.exit}), reset ${reset.exit}, check ${recheck.exit}; baselineDiff ${resetDiff.length}; ${((Date.now() - started) / 1000).toFixed(1)} s${problems.length ? `\n    ${problems.join("\n    ")}` : ""}`,
    );
  }

  const snapDir = join(workDir, "snapshot");
  const save = await lab(["snapshot", "save", "--out", snapDir], env);
  if (save.exit !== 0) findings.push(`lab snapshot save exited ${save.exit}: ${save.stderr}`);
  let agree = save.exit === 0;
  for (const q of EXPLAIN_QUERIES) {
    const args = ["explain", "--from", q.from, "--to", q.to, ...(q.port ? ["--port", String(q.port)] : []), "--json"];
    const saved = await labInProcess([...args, "--aws-configs", snapDir], env);
    const sim = await simLab(args, env, simState);
    const verdict = (r: LabRun) => {
      // The egress IP and the AWS ids are left out: the simulator's NAT EIPs are documentation addresses and its
      // ids are its own, the emulator's are moto's. The component's name, kind and reason must agree.
      const j = r.json as { reachable?: boolean; blockedBy?: { component?: string; reason?: string } | null; hops?: { kind?: string; component?: string }[] } | undefined;
      const blockedBy = j?.blockedBy ? { component: j.blockedBy.component, reason: j.blockedBy.reason } : null;
      return JSON.stringify({ exit: r.exit, reachable: j?.reachable, blockedBy, hops: (j?.hops ?? []).map((h) => `${h.kind}:${h.component}`) });
    };
    if (verdict(saved) !== verdict(sim)) {
      agree = false;
      findings.push(`explain ${q.from} → ${q.to}${q.port ? `:${q.port}` : ""} on the saved snapshot: ${verdict(saved)} ${saved.stderr.trim()}; on the simulator: ${verdict(sim)}`);
    }
  }
  report.snapshotExplain = { queries: EXPLAIN_QUERIES.length, agreeWithSim: agree };
  log(`snapshot save: exit ${save.exit}; explain: ${EXPLAIN_QUERIES.length} queries, ${agree ? "all agree" : "some disagree"} with the simulator`);
}
