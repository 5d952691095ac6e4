import { FlagEditor } from "@/components/flags/flag-editor";
import { Card, PageHeading } from "@/components/ui/card";
import { newFlagForm } from "@/lib/flags/queries";
import { loadPage } from "@/lib/web";
import { saveFlag } from "../actions";

export const metadata = { title: "New flag" };

export default async function NewFlagPage() {
  const { environment, segments } = await loadPage(newFlagForm);
  return (
    <div>
      <PageHeading description="Starts on, at 0 % rollout, in this environment only.">New flag</PageHeading>
      <Card>
        <FlagEditor
          action={saveFlag}
          segments={segments}
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
            environment,
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
