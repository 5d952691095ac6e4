"use client";

import { Menu } from "lucide-react";
import { useState, type ComponentType } from "react";
import { buttonVariants } from "@/components/ui/variants";
import type { MenuProps } from "./links";

const loadSheet = () => import("./mobile-menu-sheet").then((m) => m.MobileMenuSheet);

/**
 * The header on a phone: everything the wide header shows, in a sheet behind
 * one "Menu" button. The sheet's code is fetched when the button is reached.
 */
export function MobileMenu(props: MenuProps) {
  const [Sheet, setSheet] = useState<ComponentType<MenuProps & { defaultOpen?: boolean }> | null>(null);
  if (Sheet) return <Sheet {...props} defaultOpen />;
  return (
    <button
      type="button"
      className={buttonVariants({ variant: "secondary", size: "sm", className: "md:hidden" })}
      aria-haspopup="dialog"
      aria-expanded={false}
      onPointerEnter={() => void loadSheet()}
      onFocus={() => void loadSheet()}
      onClick={() => void loadSheet().then((loaded) => setSheet(() => loaded))}
    >
      <Menu aria-hidden /> Menu
    </button>
  );
}
