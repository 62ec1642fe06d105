import { startBoard } from "../../board/board";
import { gradeClass } from "../../board/grade-class";
import { cellDetailSchema, classViewSchema } from "../../board/schema";
import { makeContext } from "../../cli/context";
import { bufferIo } from "../../cli/io";
import { createAwsCloud } from "../../cloud/aws/aws-cloud";
import { inject } from "../../lifecycle/inject";
import { findScenario } from "../../scenarios";
import { mockLabAccount, type MockedAccount } from "../helpers/aws-lab-mock";
import { labSnapshot } from "../helpers/lab";

let account: MockedAccount;
afterEach(() => account?.restore());
const fakeRun = { pollIntervalMs: 1000, sleep: async () => undefined };

describe("the class board on the AWS backend (mocked account)", () => {
  it("grades the active fault from live describe calls and probes, shows a lab it cannot reach with why, and changes nothing", async () => {
    // GIVEN an account holding lab s01 with tgw-default-route injected, and a config that also lists s02 (not deployed there)
    account = mockLabAccount(await labSnapshot(), { latencyMs: 0, accountId: "210987654321" });
    const scenario = findScenario("tgw-default-route");
    const s01 = await createAwsCloud({ id: "s01" }, "ap-northeast-2", { clients: account.clients, run: fakeRun });
    expect((await inject(s01, scenario, { by: "jest" })).status).toBe("injected");
    await s01.close();
    const changesBefore = account.mutations().length;
    const ledgerWritesBefore = account.ledgerWrites().length;
    const ctx = makeContext(bufferIo(), { all: true });
    ctx.config = { ...ctx.config, participants: [{ id: "s01" }, { id: "s02" }] };
    // WHEN the board grades the class through the AWS backend and the page reads it
    const board = await startBoard({
      backend: "aws",
      region: "ap-northeast-2",
      lang: "ko",
      labs: ctx.config.participants,
      fixedScenarios: [],
      gradeAll: () => gradeClass(ctx, [], (_ctx, p) => createAwsCloud(p, "ap-northeast-2", { clients: account.clients, run: fakeRun })),
      intervalMs: 60_000,
      port: 0,
    });
    try {
      await board.firstRun;
      const body = await (await fetch(`${board.server.url}api/class`)).text();
      const view = classViewSchema.parse(JSON.parse(body));
      // THEN s01's active fault is graded: both probes fail, with the analyzer's reason
      expect(view.board).toMatchObject({ backend: "aws", lang: "ko" });
      expect(view.labs[0].active.map((a) => a.scenario)).toEqual(["tgw-default-route"]);
      expect(Object.values(view.labs[0].cells).map((c) => c.state)).toEqual(["fail", "fail"]);
      const detail = cellDetailSchema.parse(await (await fetch(`${board.server.url}api/cell?lab=s01&column=${encodeURIComponent(view.columns[0].key)}`)).json());
      expect(detail.trace?.blockedBy).toMatchObject({ component: "VPC02-Private-Subnet-A-RT", reason: "NO_ROUTE" });
      // AND s02 says why it was not graded, without the account's id
      expect(view.labs[1]).toMatchObject({ lastGradedAt: null, cells: {} });
      expect(view.labs[1].error?.message).toBe(
        "Lab s02 is not deployed in account <account> (ap-northeast-2): no VPC carries netlab:lab=s02. Check the participant's profile/roleArn and region in netlab.config.json, or deploy it with `npx lab deploy --lab s02`.",
      );
      expect(body).not.toContain("210987654321");
      // AND grading changed nothing in the account: its only "changing" call is the probes' SendCommand, no ledger write
      expect(account.mutations().slice(changesBefore).map((c) => c.command)).toEqual(["SendCommand"]);
      expect(account.ledgerWrites().length - ledgerWritesBefore).toBe(0);
    } finally {
      await board.close();
    }
  });
});
