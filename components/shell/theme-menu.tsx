"use client";

import { Moon, Sun } from "lucide-react";
import { useState, type ComponentType } from "react";
import { buttonVariants } from "@/components/ui/variants";

const loadMenu = () => import("./theme-menu-radix").then((m) => m.ThemeMenuRadix);

/**
 * Theme picker: light, dark, or whatever the system says (the default). The
 * menu (Radix, with its positioning engine) is fetched when a pointer or the
 * keyboard reaches the button, not with every page.
 */
export function ThemeMenu() {
  const [Menu, setMenu] = useState<ComponentType<{ defaultOpen?: boolean }> | null>(null);
  if (Menu) return <Menu defaultOpen />;
  return (
    <button
      type="button"
      className={buttonVariants({ variant: "ghost", size: "icon" })}
      aria-label="Theme"
      aria-haspopup="menu"
      aria-expanded={false}
      onPointerEnter={() => void loadMenu()}
      onFocus={() => void loadMenu()}
      onClick={() => void loadMenu().then((loaded) => setMenu(() => loaded))}
    >
      <Sun aria-hidden className="dark:hidden" />
      <Moon aria-hidden className="hidden dark:block" />
    </button>
  );
}
