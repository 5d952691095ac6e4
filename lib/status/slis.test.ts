import { expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { recordAuditEvent } from "@/lib/audit";
import { sliPoints } from "./reads";
import { SLOS } from "./slos";

const chargeSlo = SLOS.find((s) => s.id === "charge_success")!;

async function chargeTotals() {
  const points = await sliPoints(await getDb(), chargeSlo, new Date(Date.now() + 60_000));
  return { total: points.reduce((n, p) => n + p.total, 0), good: points.reduce((n, p) => n + p.good, 0) };
}

it("the charge SLO counts renewals as well as plan changes: a renewal the provider never answered is bad, a decided one good", async () => {
  const db = await getDb();
  const before = await chargeTotals();
  const subscription = { type: "subscription", id: crypto.randomUUID() };
  const job = { type: "system" as const, id: "cron:renewals" };
  await recordAuditEvent(db, { actor: job, action: "billing.renewal", target: subscription, outcome: "success", metadata: { outcome: "paid" } });
  await recordAuditEvent(db, { actor: job, action: "billing.renewal", target: subscription, outcome: "success", metadata: { outcome: "past_due" } });
  await recordAuditEvent(db, { actor: job, action: "billing.renewal", target: subscription, outcome: "failure", metadata: { code: "dependency_down" } });
  // Refused before any charge was tried (payments switched off): not a charge attempt at all.
  await recordAuditEvent(db, { actor: job, action: "billing.renewal", target: subscription, outcome: "denied", metadata: { code: "disabled" } });
  expect(await chargeTotals()).toEqual({ total: before.total + 3, good: before.good + 2 });
});
