"use client";

import { useTheme } from "next-themes";
import { useEffect } from "react";
import { Toaster as Sonner, toast } from "sonner";
import { attachToaster } from "./toast";

/** Toasts for news that outlives the page it happened on (after a redirect); results on the page use FormMessage. */
export function Toaster() {
  const { resolvedTheme } = useTheme();
  // Runs after sonner's own effects (children first), so its region is listening when waiting toasts arrive.
  useEffect(() => attachToaster(({ kind, text }) => void toast[kind](text)), []);
  return <Sonner theme={resolvedTheme === "dark" ? "dark" : "light"} position="bottom-right" closeButton richColors />;
}
