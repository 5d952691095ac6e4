"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { EDITABLE_FLAG_KINDS, VALUE_TYPES } from "@/lib/flags/constants";
import type { ActionResult } from "@/lib/safety/result";

export type FlagEditorValues = {
  key: string;
  revision: number;
  description: string;
  kind: string;
  owner: string;
  valueType: string;
  variants: string;
  defaultValue: string;
  offValue: string;
  prerequisites: string;
  seed: string;
  reviewBy: string;
  environment: string;
  enabled: boolean;
  rollout: number;
  targets: string;
  rules: string;
};

const input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm aria-invalid:border-red-600";
const area = `${input} font-mono`;

/**
 * Edits one environment of a flag. Rules are JSON (the segment picker writes
 * rule lines for you); the server re-validates everything and refuses a save
 * made against an older revision.
 */
export function FlagEditor({
  values,
  segments,
  action,
  freeze = [],
}: {
  values: FlagEditorValues;
  segments: string[];
  action: (input: unknown) => Promise<ActionResult<unknown>>;
  /** Titles of the SLOs whose exhausted budget freezes production releases now. */
  freeze?: string[];
}) {
  const router = useRouter();
  const creating = values.revision === 0;
  const { result, pending, onSubmit, fieldError } = useGuardedForm(action, {
    onSuccess: (data) => {
      if (creating && !(data as { pendingApproval?: string | null }).pendingApproval) router.push(`/admin/flags/${encodeURIComponent((data as { key: string }).key)}`);
    },
  });
  const [rollout, setRollout] = useState(values.rollout);
  const rulesRef = useRef<HTMLTextAreaElement>(null);
  const [segment, setSegment] = useState(segments[0] ?? "");
  const [variant, setVariant] = useState("on");
  const id = useId();

  function addSegmentRule() {
    const box = rulesRef.current;
    if (!box || !segment) return;
    let rules: unknown[] = [];
    try {
      const parsed: unknown = JSON.parse(box.value || "[]");
      rules = Array.isArray(parsed) ? parsed : [];
    } catch {
      // Leave a malformed box alone; the server will say what is wrong with it.
      return;
    }
    box.value = JSON.stringify([...rules, { segment, variant }], null, 2);
  }

  const field = (name: keyof FlagEditorValues, label: string, el: React.ReactNode) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-${name}`} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {el}
      {fieldError(name) ? (
        <p id={`${id}-${name}-error`} className="text-sm text-red-700">
          {fieldError(name)}
        </p>
      ) : null}
    </div>
  );
  const invalid = (name: string) => (fieldError(name) ? true : undefined);

  return (
    <form onSubmit={onSubmit} className="grid grid-cols-1 gap-4 sm:grid-cols-2">
      <input type="hidden" name="revision" value={values.revision} readOnly />
      <input type="hidden" name="environment" value={values.environment} readOnly />
      {creating
        ? field("key", "Key", <input id={`${id}-key`} name="key" required defaultValue={values.key} className={input} aria-invalid={invalid("key")} />)
        : <input type="hidden" name="key" value={values.key} readOnly />}
      {field(
        "kind",
        "Kind",
        <select id={`${id}-kind`} name="kind" defaultValue={values.kind} className={input}>
          {EDITABLE_FLAG_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>,
      )}
      {field("description", "Description", <input id={`${id}-description`} name="description" defaultValue={values.description} className={input} />)}
      {field("owner", "Owner", <input id={`${id}-owner`} name="owner" defaultValue={values.owner} className={input} />)}
      {field(
        "valueType",
        "Value type",
        <select id={`${id}-valueType`} name="valueType" defaultValue={values.valueType} className={input}>
          {VALUE_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>,
      )}
      {field("reviewBy", "Review by", <input id={`${id}-reviewBy`} name="reviewBy" type="date" defaultValue={values.reviewBy} className={input} />)}
      {field("defaultValue", "Default value (JSON)", <input id={`${id}-defaultValue`} name="defaultValue" defaultValue={values.defaultValue} className={area} aria-invalid={invalid("defaultValue")} />)}
      {field("offValue", "Off value (JSON)", <input id={`${id}-offValue`} name="offValue" defaultValue={values.offValue} className={area} aria-invalid={invalid("offValue")} />)}
      {field(
        "variants",
        'Variants (JSON, multivariate only: [{"key":"a","value":"A","weight":1}])',
        <textarea id={`${id}-variants`} name="variants" rows={3} defaultValue={values.variants} className={area} aria-invalid={invalid("variants")} />,
      )}
      {field("prerequisites", "Prerequisite flags (comma-separated keys)", <input id={`${id}-prerequisites`} name="prerequisites" defaultValue={values.prerequisites} className={input} aria-invalid={invalid("prerequisites")} />)}
      {field("seed", "Hash seed", <input id={`${id}-seed`} name="seed" defaultValue={values.seed} className={input} />)}

      <fieldset className="col-span-full grid min-w-0 grid-cols-1 gap-4 rounded-md border border-slate-200 p-4 sm:grid-cols-2">
        <legend className="px-1 text-sm font-semibold">State in {values.environment}</legend>
        {field(
          "enabled",
          `Switched on in ${values.environment}`,
          <select id={`${id}-enabled`} name="enabled" defaultValue={values.enabled ? "on" : "off"} className={input}>
            <option value="on">on (rules, rollout, default apply)</option>
            <option value="off">off (everyone gets the off value)</option>
          </select>,
        )}
        {field(
          "rollout",
          `Rollout: ${rollout} %`,
          <input
            id={`${id}-rollout`}
            name="rollout"
            type="range"
            min={0}
            max={100}
            step={0.5}
            value={rollout}
            onChange={(e) => setRollout(Number(e.target.value))}
            aria-valuetext={`${rollout} percent`}
          />,
        )}
        {field(
          "targets",
          'Id targets (JSON: [{"variant":"on","ids":["user-id"]}])',
          <textarea id={`${id}-targets`} name="targets" rows={3} defaultValue={values.targets} className={area} aria-invalid={invalid("targets")} />,
        )}
        {field(
          "rules",
          "Rules, first match wins (JSON)",
          <textarea id={`${id}-rules`} ref={rulesRef} name="rules" rows={5} defaultValue={values.rules} className={area} aria-invalid={invalid("rules")} />,
        )}
        <div className="col-span-full flex flex-wrap items-end gap-2">
          <label className="flex flex-col text-sm">
            Segment
            <select value={segment} onChange={(e) => setSegment(e.target.value)} className={input}>
              {segments.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col text-sm">
            Serves variant
            <input value={variant} onChange={(e) => setVariant(e.target.value)} className={input} />
          </label>
          <Button type="button" variant="secondary" onClick={addSegmentRule} disabled={segments.length === 0}>
            Add segment rule
          </Button>
        </div>
      </fieldset>

      {values.environment === "production" && (freeze.length > 0 || fieldError("overrideFreeze")) ? (
        <div className="col-span-full rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p>
            Error-budget freeze in force{freeze.length > 0 ? ` (${freeze.join("; ")})` : ""}: only reliability fixes, security fixes and rollbacks ship. Rolling back needs no
            override.
          </p>
          <label className="mt-2 flex items-center gap-2 font-medium">
            <input type="checkbox" name="overrideFreeze" value="on" aria-describedby={fieldError("overrideFreeze") ? `${id}-overrideFreeze-error` : undefined} />
            Override the freeze for this change (say why in the reason; it is audited)
          </label>
          {fieldError("overrideFreeze") ? (
            <p id={`${id}-overrideFreeze-error`} className="text-red-700">
              {fieldError("overrideFreeze")}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="col-span-full">
        {field("reason" as keyof FlagEditorValues, "Reason for this change", <input id={`${id}-reason`} name="reason" required className={input} aria-invalid={invalid("reason")} />)}
      </div>
      <div className="col-span-full flex flex-col gap-2">
        <Button type="submit" disabled={pending}>
          {creating ? "Create flag" : "Save flag"}
        </Button>
        <FormMessage
          result={result}
          success={
            result?.ok && (result.data as { pendingApproval?: string | null }).pendingApproval
              ? "Saved as a change request: a second admin must approve it before it takes effect."
              : creating
                ? "Flag created."
                : "Saved."
          }
        />
      </div>
    </form>
  );
}

/** Creates or replaces a named segment. */
export function SegmentForm({ action }: { action: (input: unknown) => Promise<ActionResult<unknown>> }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(action, { onSuccess: (_, form) => form.reset() });
  const id = useId();
  return (
    <form onSubmit={onSubmit} className="grid grid-cols-1 gap-3 sm:grid-cols-2">
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-key`} className="text-sm font-medium">
          Segment key
        </label>
        <input id={`${id}-key`} name="key" required className={input} aria-invalid={fieldError("key") ? true : undefined} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-description`} className="text-sm font-medium">
          Segment description
        </label>
        <input id={`${id}-description`} name="description" className={input} />
      </div>
      <div className="col-span-full flex flex-col gap-1">
        <label htmlFor={`${id}-conditions`} className="text-sm font-medium">
          Conditions (JSON, all must hold)
        </label>
        <textarea
          id={`${id}-conditions`}
          name="conditions"
          rows={3}
          className={area}
          placeholder='[{"attribute":"email_domain","operator":"in","values":["breakwater.test"]}]'
          aria-invalid={fieldError("conditions") ? true : undefined}
        />
        {fieldError("conditions") ? <p className="text-sm text-red-700">{fieldError("conditions")}</p> : null}
      </div>
      <div className="col-span-full flex flex-col gap-1">
        <label htmlFor={`${id}-reason`} className="text-sm font-medium">
          Reason for this segment change
        </label>
        <input id={`${id}-reason`} name="reason" required className={input} />
      </div>
      <div className="col-span-full flex flex-col gap-2">
        <Button type="submit" disabled={pending}>
          Save segment
        </Button>
        <FormMessage result={result} success="Segment saved." />
      </div>
    </form>
  );
}
