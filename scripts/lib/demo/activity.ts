import type { SessionUser } from "@/lib/auth";
import { requestAccountDeletion, requestConfirmation } from "@/lib/accounts/actions";
import { saveFlagAction } from "@/lib/flags/actions";
import { endImpersonation, recordImpersonationPageView, startImpersonation } from "@/lib/impersonation/actions";
import { createProject, createTask, deleteProject } from "@/lib/projects/actions";
import { submitProblemReport } from "@/lib/reports/actions";
import type { ActionResult, RequestContext } from "@/lib/safety";
import { signOffAttestation } from "@/lib/status/actions";
import { DEMO_PASSWORD } from "./people";

/**
 * What the demo people did, done the way they would have done it: through
 * the same guarded actions the pages call, so every change is checked,
 * audited (the hash chain holds), emailed through the outbox and as
 * consistent as anything a person does in the app. These happen when the
 * seed runs; the dated past is in ./history.ts.
 */
export type DemoPeople = { user: SessionUser; support: SessionUser; admin: SessionUser; leaving: SessionUser };

/** A request from a demo person, made by the seed script rather than a browser. */
function as(user: SessionUser, impersonation: RequestContext["impersonation"] = null): RequestContext {
  return { user, impersonation, system: null, via: "cli", requestId: crypto.randomUUID(), ip: null, userAgent: "npm run db:seed", origin: null };
}

function must<T>(what: string, result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`Demo data: ${what} was refused (${result.code}): ${result.message}`);
  return result.data;
}

const PROJECTS: { name: string; description: string; tasks: string[] }[] = [
  {
    name: "Website relaunch",
    description: "New homepage, pricing page and blog, live before the spring campaign.",
    tasks: ["Draft the new homepage copy", "Pick a hosting region", "Set up redirects for the old URLs", "Book the launch review"],
  },
  { name: "Mobile app", description: "iOS and Android apps for project updates on the go.", tasks: ["Design the sign-in screen", "Decide on push notification wording", "Beta test with five customers"] },
  { name: "Quarterly report", description: "Numbers and highlights for the board, due at the end of the quarter.", tasks: ["Collect revenue figures", "Write the highlights section", "Send the draft to finance"] },
];

export async function seedActivity(people: DemoPeople): Promise<void> {
  const { user, support, admin, leaving } = people;

  // The customer's projects and tasks, and one project moved to the trash.
  for (const project of PROJECTS) {
    const { id } = must(`project ${project.name}`, await createProject.run({ name: project.name, description: project.description }, as(user)));
    for (const title of project.tasks) must(`task ${title}`, await createTask.run({ projectId: id, title }, as(user)));
  }
  const old = must("project Old landing page", await createProject.run({ name: "Old landing page", description: "Replaced by the relaunch." }, as(user)));
  must("trashing Old landing page", await deleteProject.run({ projectId: old.id }, as(user)));

  // A problem report from the customer, about the game day.
  must(
    "problem report",
    await submitProblemReport.run(
      {
        description: "Right after the payment outage my billing page showed the renewal as pending for a minute, then as paid. Was I charged twice?",
        context: { url: "/billing", route: "/billing", environment: "development", timezone: "Europe/Berlin", language: "en-GB" },
      },
      as(user),
    ),
  );

  // Support answered it by looking at the account, read-only, with a reason the customer can see.
  const session = must("support session", await startImpersonation.run({ userId: user.id, reason: "REPORT: customer asks whether the renewal after the outage charged twice" }, as(support)));
  const viewing = { impersonatorId: support.id, impersonatorRole: "support" as const, sessionId: session.sessionId, target: user };
  for (const path of ["/billing", "/projects"]) must(`support page view ${path}`, await recordImpersonationPageView.run({ path }, as(user, viewing)));
  must("ending the support session", await endImpersonation.run({}, as(user, viewing)));

  // A release mid-rollout: 30 % of development users; 10 % in production waits for a second admin.
  const release = {
    key: "new_dashboard",
    description: "The redesigned projects dashboard",
    kind: "release",
    owner: "web team",
    valueType: "boolean",
    variants: "",
    defaultValue: "true",
    offValue: "false",
    prerequisites: "",
    seed: "",
    reviewBy: "",
    enabled: true,
    targets: "",
    rules: "",
  } as const;
  must("release flag", await saveFlagAction.run({ ...release, revision: 0, environment: "development", rollout: 30, reason: "Rolling the new dashboard out to 30 % of development users" }, as(admin)));
  must("release flag in production", await saveFlagAction.run({ ...release, revision: 1, environment: "production", rollout: 10, reason: "Start production at 10 % once development looks good" }, as(admin)));

  // A release the product reads (flags.ts): declared in code, nobody sees it yet; roll it out from /admin/flags.
  must(
    "plan comparison flag",
    await saveFlagAction.run(
      {
        ...release,
        key: "billing_plan_comparison",
        description: "Billing: a table comparing the plans, under the plan controls",
        owner: "billing team",
        defaultValue: "false",
        revision: 0,
        environment: "development",
        rollout: 0,
        reason: "Declared in flags.ts; off until billing says go",
      },
      as(admin),
    ),
  );

  // The game day's post-mortem was reviewed.
  must(
    "readiness sign-off",
    await signOffAttestation.run({ attestation: "postmortem", note: "Reviewed the payments game day post-mortem with billing on-call.", evidenceUrl: "/admin/runbooks/postmortem-practice-2026-11" }, as(admin)),
  );

  // A customer on their way out: deletion requested, purged after the grace period unless they come back.
  const { token } = must("deletion confirmation", await requestConfirmation.run({ action: "account.delete", targetId: leaving.id }, as(leaving)));
  must("deletion request", await requestAccountDeletion.run({ email: leaving.email, password: DEMO_PASSWORD, confirmation: token }, as(leaving)));
}

