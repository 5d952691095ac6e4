import { FlagEditor } from "@/components/flags/flag-editor";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { userWithPermission } from "@/lib/auth";
import { currentEnvironment } from "@/lib/flags";
import { listSegments } from "@/lib/flags/queries";
import { saveFlag } from "../actions";

export const metadata = { title: "New flag" };

export default async function NewFlagPage() {
  if (!(await userWithPermission("admin:write"))) return <AccessDenied />;
  const segments = await listSegments(await getDb());
  return (
    <div>
      <PageHeading description="Starts on, at 0 % rollout, in this environment only.">New flag</PageHeading>
      <Card>
        <FlagEditor
          action={saveFlag}
          segments={segments.map((s) => s.key)}
          values={{
            key: "",
            revision: 0,
            description: "",
            kind: "release",
            owner: "",
            valueType: "boolean",
            variants: "[]",
            defaultValue: "false",
            offValue: "false",
            prerequisites: "",
            seed: "",
            reviewBy: "",
            environment: currentEnvironment(),
            enabled: true,
            rollout: 0,
            targets: "[]",
            rules: "[]",
          }}
        />
      </Card>
    </div>
  );
}
