import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import type { PublicStatus } from "./public-status";

// The recompute's timing is what is under test, so the status itself and the state signature are stand-ins this
// file controls: a recompute finishes exactly when the test resolves it. What a real recompute shows is tested in
// snapshot.test.ts, and bench/kill.bench.ts times a flip reaching /status on another instance.
const computes: { resolve: (status: PublicStatus) => void }[] = [];
let signature = "A";
vi.mock("./public-status", () => ({
  getPublicStatus: () => new Promise<PublicStatus>((resolve) => computes.push({ resolve })),
}));
vi.mock("./sources", () => ({ stateSignature: async () => signature }));

const { currentStatusSnapshot, resetStatusSnapshotForTests } = await import("./snapshot");

const status = (label: string) => ({ label, generatedAt: new Date().toISOString() }) as unknown as PublicStatus;
const labelOf = (snapshot: { status: PublicStatus }) => (snapshot.status as unknown as { label: string }).label;
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

// Only Date is faked: the snapshot's age is read from it, and the promises and ticks here stay real.
beforeAll(() => vi.useFakeTimers({ toFake: ["Date"] }));
afterAll(() => vi.useRealTimers());
beforeEach(() => {
  resetStatusSnapshotForTests();
  computes.length = 0;
  signature = "A";
});

/** A first snapshot of state A, then a background refresh of A left running (as on a loaded instance). */
async function withRefreshRunning(): Promise<void> {
  const first = currentStatusSnapshot();
  await tick();
  computes[0]!.resolve(status("A"));
  expect(labelOf(await first)).toBe("A");
  vi.setSystemTime(Date.now() + 1_100);
  expect(labelOf(await currentStatusSnapshot())).toBe("A");
  await tick();
  expect(computes).toHaveLength(2);
}

it("after a change, answers from a recompute of the new state without waiting for an older refresh still running", async () => {
  await withRefreshRunning();
  signature = "B";
  let answered: string | null = null;
  void currentStatusSnapshot().then((s) => (answered = labelOf(s)));
  await tick();
  // The change started its own recompute at once…
  expect(computes).toHaveLength(3);
  computes[2]!.resolve(status("B"));
  await tick();
  // …and the request has its answer while the refresh of the old state is still running.
  expect(answered).toBe("B");

  // The old refresh ends later: it read the state before the change, so it does not replace the new snapshot.
  computes[1]!.resolve(status("A, refreshed"));
  await tick();
  expect(labelOf(await currentStatusSnapshot())).toBe("B");
  expect(computes).toHaveLength(3);
});

it("shares one recompute of a changed state among the requests that arrive while it runs", async () => {
  await withRefreshRunning();
  signature = "B";
  const requests = [currentStatusSnapshot(), currentStatusSnapshot(), currentStatusSnapshot()];
  await tick();
  expect(computes).toHaveLength(3);
  computes[2]!.resolve(status("B"));
  expect((await Promise.all(requests)).map(labelOf)).toEqual(["B", "B", "B"]);
  computes[1]!.resolve(status("A, refreshed"));
});

it("keeps the newer snapshot when the older refresh finishes first, and serves the newer state once it is ready", async () => {
  await withRefreshRunning();
  signature = "B";
  const request = currentStatusSnapshot();
  await tick();
  computes[1]!.resolve(status("A, refreshed"));
  await tick();
  // The refresh of A landed, but it is not what B's request waits for.
  computes[2]!.resolve(status("B"));
  expect(labelOf(await request)).toBe("B");
  expect(labelOf(await currentStatusSnapshot())).toBe("B");
});
