import type { VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "./cn";
import { buttonVariants } from "./variants";

export { buttonVariants };

export type ButtonProps = ComponentProps<"button"> & VariantProps<typeof buttonVariants>;

/** Long labels may wrap on a phone rather than push the page wider. */
export function Button({ variant, size, className, ...props }: ButtonProps) {
  return <button className={cn(buttonVariants({ variant, size }), "whitespace-normal", className)} {...props} />;
}
