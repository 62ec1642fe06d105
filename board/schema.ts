import { z } from "zod";

/**
 * The board's API: every response is read-only JSON of one of these shapes. The server validates each
 * response against its schema before sending it (a response that does not fit is a 500, never sent),
 * and the tests parse what the server sends with the same schemas.
 */

const localized = z.object({ en: z.string(), ko: z.string() }).strict();
/** The analyzer speaks English; a check's instructor text has no Korean version (null), collateral entries have both. */
const instructorText = z.object({ en: z.string(), ko: z.string().nullable() }).strict();
const isoTime = z.string().datetime();

/** What a cell of the table shows. `not-injected`: the column's scenario is not active in this lab, so it was not graded there. */
export const CELL_STATES = ["pass", "fail", "inconclusive", "collateral", "not-injected"] as const;
export type CellState = (typeof CELL_STATES)[number];

/** One piece of damage a repair did elsewhere in the lab (the grader's steady-state comparison). */
export const collateralEntrySchema = z
  .object({
    kind: z.literal("collateral"),
    component: z.string(),
    reason: z.string(),
    instructor: localized,
    hint: localized,
  })
  .strict();
export type CollateralEntry = z.infer<typeof collateralEntrySchema>;

export const columnSchema = z
  .object({
    /** `<scenario>/<check>` or `<scenario>#collateral`. */
    key: z.string(),
    scenario: z.string(),
    kind: z.enum(["check", "collateral"]),
    /** The check's id; null for the collateral column. */
    check: z.string().nullable(),
    title: localized,
  })
  .strict();
export type Column = z.infer<typeof columnSchema>;

export const cellSchema = z
  .object({
    state: z.enum(CELL_STATES),
    evidence: z.string(),
    /** The student's hint; null when there is nothing to hint (a pass, a scenario not injected). */
    hint: localized.nullable(),
    /** For the instructor only: where the analyzer says the path is blocked, or what collateral damage was found. */
    instructor: instructorText.nullable(),
    /** The collateral column only: each component broken elsewhere. */
    entries: z.array(collateralEntrySchema).optional(),
    /** A trace and a diagram are available at /api/cell. */
    explainable: z.boolean(),
  })
  .strict();
export type Cell = z.infer<typeof cellSchema>;

const gradeSummarySchema = z
  .object({
    scenario: z.string(),
    status: z.enum(["pass", "fail", "inconclusive"]),
    score: z.number().min(0).max(100),
    collateral: z.number().int().min(0),
  })
  .strict();

export const labViewSchema = z
  .object({
    id: z.string(),
    lang: z.enum(["en", "ko"]).nullable(),
    /** When this lab's last successful grading finished; null before the first. */
    lastGradedAt: isoTime.nullable(),
    /** The last grading attempt failed: why. The grades shown (if any) are the ones before it (stale). */
    error: z.object({ message: z.string(), at: isoTime }).strict().nullable(),
    active: z.array(z.object({ scenario: z.string(), injectedAt: z.string() }).strict()),
    grades: z.array(gradeSummarySchema),
    cells: z.record(z.string(), cellSchema),
  })
  .strict();
export type LabView = z.infer<typeof labViewSchema>;

export const classViewSchema = z
  .object({
    board: z
      .object({
        backend: z.enum(["sim", "aws"]),
        region: z.string(),
        readOnly: z.literal(true),
        /** The language the page opens in (--lang); the page's toggle switches it. */
        lang: z.enum(["en", "ko"]),
        intervalSeconds: z.number().positive(),
        generatedAt: isoTime,
        /** A grading run is in flight (there is never more than one). */
        grading: z.boolean(),
        lastRun: z
          .object({ startedAt: isoTime, finishedAt: isoTime, durationMs: z.number().min(0), labs: z.number().int(), failedLabs: z.number().int() })
          .strict()
          .nullable(),
        nextRunAt: isoTime.nullable(),
        /** The scenarios graded on every lab (--scenario); the others are graded where they are active. */
        fixedScenarios: z.array(z.string()),
      })
      .strict(),
    scenarios: z.array(z.object({ id: z.string(), title: localized }).strict()),
    columns: z.array(columnSchema),
    labs: z.array(labViewSchema),
  })
  .strict();
export type ClassView = z.infer<typeof classViewSchema>;

export const hopSchema = z.object({ component: z.string(), kind: z.string() }).strict();

export const traceSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    reachable: z.boolean(),
    hops: z.array(hopSchema),
    blockedBy: z.object({ component: z.string(), reason: z.string(), detail: z.string() }).strict().nullable(),
    egressIp: z.string().nullable(),
  })
  .strict();
export type Trace = z.infer<typeof traceSchema>;

/** How a component is marked on the diagram. */
export const markSchema = z
  .object({
    component: z.string(),
    /** The Mermaid node (or subgraph) id that carries the `blocked` class. */
    nodeId: z.string().regex(/^[A-Za-z0-9_]+$/),
    /** `itself`: the component is drawn; `previous-hop`: it is not drawn (an SG, a NACL…), the hop before it is; `container`: the VPC holding it. */
    drawnAs: z.enum(["itself", "previous-hop", "container"]),
    /** The label of what carries the mark, when it is not the component itself. */
    markedOn: z.string(),
  })
  .strict();
export type Mark = z.infer<typeof markSchema>;

export const cellDetailSchema = z
  .object({
    lab: z.string(),
    column: columnSchema,
    cell: cellSchema,
    gradedAt: isoTime.nullable(),
    /** The analyzer's path for a failing probe check, on the snapshot taken by the grading run. */
    trace: traceSchema.nullable(),
    /** The lab's Mermaid diagram with the marked components in the `blocked` class; null when no snapshot was taken (everything passed). */
    diagram: z.object({ mermaid: z.string(), marks: z.array(markSchema) }).strict().nullable(),
  })
  .strict();
export type CellDetail = z.infer<typeof cellDetailSchema>;

export const errorBodySchema = z.object({ error: z.string() }).strict();
