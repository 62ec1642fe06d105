import { CHANGE_KINDS, type Change } from "../../cloud/change";
import { changeSchema, CorruptLedgerError, parseLedgerEntry, parseLedgerJson } from "../../cloud/change-schema";
import type { LedgerEntry } from "../../cloud/port";
import { SCENARIOS } from "../../scenarios";
import { STUDENT_REPAIRS } from "../../scenarios/repairs";

const where = "/netlab/s01/ledger/x";
const location = { lab: "s01", scenario: "x", clear: "delete it" };
const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  scenario: "x",
  lab: "s01",
  injectedAt: "2026-11-24T10:00:00.000Z",
  by: "t@h",
  changes: [{ kind: "stop-instance", instance: "A" }],
  inverses: [{ kind: "start-instance", instance: "A" }],
  ...over,
});

describe("the ledger entry schema", () => {
  it("reads every change of every scenario's inject and solve and of the students' repairs, which between them use every change kind", () => {
    // GIVEN every change the catalogue makes, and every change of the table of students' repairs
    const all: Change[] = [...SCENARIOS.flatMap((s) => [...s.inject, ...s.solve]), ...STUDENT_REPAIRS.flatMap((r) => r.changes)];
    // WHEN each is parsed / THEN it reads back unchanged
    for (const c of all) expect(changeSchema.parse(c)).toEqual(c);
    const kinds = new Set(all.map((c) => c.kind));
    expect([...kinds].sort()).toEqual([...CHANGE_KINDS].sort());
  });

  it("reads a sound entry back as it is", () => {
    expect(parseLedgerEntry(entry(), where, location)).toEqual(entry());
  });

  it.each([
    ["an unknown change kind", entry({ inverses: [{ kind: "reboot-instance", instance: "A" } as unknown as Change] }), "inverses.0.kind: Invalid discriminator value."],
    ["a route to something that is not a CIDR", entry({ changes: [{ kind: "delete-route", routeTable: "T", destination: "everywhere" }] }), "changes.0.destination: must be an IPv4 CIDR such as 0.0.0.0/0"],
    ["a rule with two sources", entry({ changes: [{ kind: "revoke-sg-rule", securityGroup: "G", direction: "ingress", rule: { protocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0", peerSecurityGroup: "H" } }] }), "changes.0.rule: must name exactly one source: cidr or peerSecurityGroup"],
    ["a field netlab never writes", entry({ changes: [{ kind: "stop-instance", instance: "A", force: true } as unknown as Change] }), "changes.0: Unrecognized key(s) in object: 'force'"],
    ["fewer inverses than changes", entry({ inverses: [] }), "inverses: must hold one inverse per change"],
    ["a time that is not ISO", entry({ injectedAt: "yesterday" }), "injectedAt: Invalid datetime"],
  ])("refuses %s, naming the field", (_what, value, detail) => {
    expect(() => parseLedgerEntry(value, where, location)).toThrow(CorruptLedgerError);
    expect(() => parseLedgerEntry(value, where, location)).toThrow(`The ledger entry ${where} cannot be read (not a netlab ledger entry): ${detail}`);
  });

  it("refuses an entry stored in another entry's place", () => {
    expect(() => parseLedgerEntry(entry({ scenario: "y" }), where, location)).toThrow(
      `The ledger entry ${where} cannot be read (stored in another entry's place): it is stored for scenario "x" of lab s01, but records scenario "y" of lab s01.`,
    );
  });

  it("refuses text that is not JSON, and says how to clear it", () => {
    expect(() => parseLedgerJson("{", where, location)).toThrow(/^The ledger entry \/netlab\/s01\/ledger\/x cannot be read \(not JSON\): .*then clear the entry: delete it\.$/);
  });
});
