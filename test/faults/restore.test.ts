/**
 * Backup → erase → restore, following runbooks/database-backup-restore.md
 * literally, with its own commands (`npm run ops -- …`) against two running
 * instances of the production build: back up, erase a user through the admin
 * page's actions, switch jobs off, scale to zero, restore, start again. The
 * erased user stays erased and cannot sign in on either instance, and jobs
 * stay off until the operator turns them back on. See ./harness.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionCode,
  callAction,
  cron,
  faultsEnabled,
  ops,
  serverActionId,
  sleep,
  startWorld,
  timed,
  type FaultsDatabase,
  type FaultsWorld,
  type Instance,
} from "./harness";

const PASSWORD = "faults-restore-password";

describe.skipIf(!faultsEnabled)("backup, erase, restore by the runbook (production build, two instances)", () => {
  let world: FaultsWorld;
  let db: FaultsDatabase;
  let backups: string;
  let admin: { id: string; email: string };
  let erased: { id: string; email: string };
  let bystander: { id: string; email: string };

  beforeAll(async () => {
    world = await startWorld({
      password: PASSWORD,
      prepare: async ({ createUser, onStop }) => {
        admin = await createUser({ role: "admin" });
        erased = await createUser({ plan: "pro" });
        bystander = await createUser();
        backups = fs.mkdtempSync(path.join(os.tmpdir(), "bw-faults-backups-"));
        onStop(() => fs.rmSync(backups, { recursive: true, force: true }));
      },
    });
    ({ db } = world);
  }, 120_000);

  afterAll(() => world?.stop());

  const canSignIn = (instance: Instance, email: string) => world.canSignIn(instance, email);

  it("the erased user stays erased and cannot sign in on either instance; jobs stay off until turned back on", async () => {
    const [a, b] = world.instances as [Instance, Instance];
    const backup = path.join(backups, "breakwater.dump");
    await ops(db, ["db", "backup", backup]);
    expect(await canSignIn(b, erased.email)).toBe(true);

    // An administrator erases the user on instance A: a confirmation token, then the purge.
    const cookie = await world.signIn(a, admin.email);
    const confirm = await callAction(a, "/admin/lifecycle", serverActionId("app/admin/lifecycle/actions.ts", "requestConfirmation"), [{ action: "account.purge", targetId: erased.id }], cookie);
    const token = confirm.body.match(/"token":"([^"]+)"/)?.[1];
    expect(token, confirm.body).toBeTruthy();
    const purge = await callAction(a, "/admin/lifecycle", serverActionId("app/admin/lifecycle/actions.ts", "purgeAccountNow"), [{ userId: erased.id, confirmation: token, confirmText: erased.email }], cookie);
    expect(actionCode(purge.body), purge.body).toBe("ok");
    expect(await canSignIn(b, erased.email)).toBe(false);

    // The runbook: 1. jobs off; 2. scale to zero; 3. restore; then start again.
    await ops(db, ["flags", "set", "background_jobs", "off", "--reason", "database restore in progress"]);
    await world.stopInstances();
    const report = await ops(db, ["db", "restore", backup]);
    console.log(`ops db restore:\n${report}`);
    const instances = await world.startInstances();

    // 4. Check: both instances ready; the restored data serves; the erased user is gone and cannot sign in.
    for (const instance of instances) {
      expect((await timed(`${instance.url}/api/health/ready`)).status).toBe(200);
      expect(await canSignIn(instance, bystander.email)).toBe(true);
      expect(await canSignIn(instance, erased.email)).toBe(false);
    }
    const left = await db.sql`select 1 from users where id = ${erased.id} or lower(email) = ${erased.email.toLowerCase()}`;
    expect(left).toHaveLength(0);
    expect(report).toContain("re-erased 1 restored account");
    // The backup had jobs on; the restore left them off, as the operator had set them.
    const renewals = await cron(instances[0]!, "renewals");
    expect(JSON.parse(renewals.body)).toMatchObject({ status: "skipped", error: "kill switch background_jobs is off" });

    // 5. Jobs back on.
    await ops(db, ["flags", "set", "background_jobs", "on", "--reason", "database restore checked"]);
    // An instance revalidates its kill switches at most once a second.
    await sleep(1_100);
    const after = await cron(instances[1]!, "renewals");
    expect(JSON.parse(after.body)).toMatchObject({ status: "succeeded" });
  }, 240_000);
});
