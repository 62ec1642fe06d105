import { markedDiagram } from "./cell-explain";
import { Refresher } from "./refresher";
import type { CellDetail, ClassView } from "./schema";
import { startBoardServer, type BoardServer, type BoardSource } from "./server";
import { classView, type LabRun, type LabState } from "./view";
import type { LabOutcome } from "../cli/context";

export interface BoardOptions {
  backend: "sim" | "aws";
  region: string;
  /** The page's language at first (en | ko). */
  lang: "en" | "ko";
  labs: readonly { id: string; lang?: "en" | "ko" }[];
  /** Scenarios graded on every lab, whether active there or not (--scenario). */
  fixedScenarios: readonly string[];
  gradeAll: (report: (o: LabOutcome<LabRun>) => void) => Promise<LabOutcome<LabRun>[]>;
  intervalMs: number;
  host?: string;
  port?: number;
  token?: string;
}

export interface Board {
  refresher: Refresher;
  server: BoardServer;
  /** The first grading run (the server answers meanwhile: the page shows "grading…"). */
  firstRun: Promise<void>;
  close(): Promise<void>;
}

/** The class view and cell details, read from the refresher's state. */
export function boardSource(options: Pick<BoardOptions, "backend" | "region" | "lang" | "fixedScenarios" | "intervalMs">, refresher: Refresher): BoardSource {
  const status = () => ({
    backend: options.backend,
    region: options.region,
    lang: options.lang,
    intervalSeconds: options.intervalMs / 1000,
    grading: refresher.grading,
    lastRun: refresher.lastRun ?? null,
    nextRunAt: refresher.nextRunAt?.toISOString() ?? null,
    fixedScenarios: [...options.fixedScenarios],
  });
  return {
    classView: (): ClassView => classView(status(), refresher.labs),
    cellDetail: (labId, key): CellDetail | undefined => {
      const view = classView(status(), refresher.labs);
      const column = view.columns.find((c) => c.key === key);
      const lab = view.labs.find((l) => l.id === labId);
      const cell = lab?.cells[key];
      if (!column || !lab || !cell) return undefined;
      const run: LabRun | undefined = (refresher.labs.find((l) => l.id === labId) as LabState).run;
      const explain = run?.explain[key];
      return {
        lab: labId,
        column,
        cell,
        gradedAt: lab.lastGradedAt,
        trace: explain?.trace ?? null,
        diagram: run?.diagram && explain ? { mermaid: markedDiagram(run.diagram, explain.marks), marks: explain.marks } : null,
      };
    },
  };
}

/** Starts grading and serving; close() stops both. */
export async function startBoard(options: BoardOptions): Promise<Board> {
  const refresher = new Refresher({ labs: options.labs, gradeAll: options.gradeAll, intervalMs: options.intervalMs });
  const server = await startBoardServer({ source: boardSource(options, refresher), host: options.host, port: options.port, token: options.token });
  const firstRun = refresher.start();
  return {
    refresher,
    server,
    firstRun,
    close: async () => {
      refresher.stop();
      await server.close();
      // A run in flight is let finish, so that every lab's backend is closed properly.
      await refresher.settled();
    },
  };
}
