import type { ReactNode } from "react";
import { FlagValues } from "@/components/flags/flag-values-server";

// A template (not the layout) re-renders on every navigation, so client components see fresh flag values.
export default function Template({ children }: { children: ReactNode }) {
  return <FlagValues>{children}</FlagValues>;
}
