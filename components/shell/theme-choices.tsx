"use client";

import { Monitor, Moon, Sun } from "lucide-react";
import { useTheme } from "next-themes";

export const THEME_CHOICES = [
  { value: "light", label: "Light", icon: Sun },
  { value: "dark", label: "Dark", icon: Moon },
  { value: "system", label: "System", icon: Monitor },
] as const;

/** The same choice as plain buttons, for the phone menu (a menu inside a sheet is one layer too many). */
export function ThemeChoices() {
  const { theme, setTheme } = useTheme();
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-medium text-muted-foreground">Theme</legend>
      <div className="flex gap-1 rounded-lg bg-muted p-1">
        {THEME_CHOICES.map(({ value, label, icon: Icon }) => (
          <button
            key={value}
            type="button"
            aria-pressed={(theme ?? "system") === value}
            onClick={() => setTheme(value)}
            className="flex flex-1 items-center justify-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-muted-foreground hover:text-foreground aria-pressed:bg-card aria-pressed:font-medium aria-pressed:text-foreground aria-pressed:shadow-sm"
          >
            <Icon aria-hidden className="size-4" /> {label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
