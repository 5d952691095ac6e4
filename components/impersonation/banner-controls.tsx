"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/safety/result";

function remaining(expiresAt: string, now: number): string {
  const seconds = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  return `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

export function BannerControls({
  expiresAt,
  targetUserId,
  exit,
}: {
  expiresAt: string;
  targetUserId: string;
  exit: (input: unknown) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [now, setNow] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const tick = () => {
      const t = Date.now();
      setNow(t);
      // Expired: the server no longer honours the session; refresh to drop the banner.
      if (Date.parse(expiresAt) <= t) router.refresh();
    };
    tick();
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [expiresAt, router]);

  const onExit = () =>
    startTransition(async () => {
      const result = await exit({});
      if (!result.ok && result.code !== "not_found") {
        setError(result.message);
        return;
      }
      router.push(`/admin/users/${targetUserId}`);
      router.refresh();
    });

  return (
    <>
      <span>
        — ends in <time aria-live="off">{now === null ? "--:--" : remaining(expiresAt, now)}</time> —
      </span>
      <button type="button" onClick={onExit} disabled={pending} className="rounded-md bg-amber-900 px-2 py-1 text-xs font-semibold text-white hover:bg-amber-950 disabled:opacity-60">
        Exit
      </button>
      {error ? (
        <span role="alert" className="text-red-800">
          {error}
        </span>
      ) : null}
    </>
  );
}
