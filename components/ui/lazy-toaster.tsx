"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { onToastRequested } from "./toast";

const Toaster = dynamic(() => import("./sonner").then((m) => m.Toaster), { ssr: false });

/** The toast region, loaded with its library only when the first toast is asked for: most pages never toast. */
export function LazyToaster() {
  const [wanted, setWanted] = useState(false);
  useEffect(() => onToastRequested(() => setWanted(true)), []);
  return wanted ? <Toaster /> : null;
}
