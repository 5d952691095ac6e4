import Link from "next/link";

/** Where a flag, breaker or job links back to the runbook that names it. */
export function RunbookLink({ runbook }: { runbook: { slug: string; title: string } | null }) {
  if (!runbook) return null;
  return (
    <Link href={`/admin/runbooks/${runbook.slug}`} className="block text-xs text-sky-800 underline">
      Runbook: {runbook.title}
    </Link>
  );
}
