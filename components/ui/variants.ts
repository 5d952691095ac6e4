import { cva } from "class-variance-authority";

/*
 * The class strings of buttons and form controls, without the class merger
 * (tailwind-merge, about 9 KiB gzip): the controls every page loads (header,
 * footer) use these directly, so the merger ships only with pages whose own
 * components need it. Pass no class that conflicts with a variant's here;
 * <Button className> merges, these only append.
 */

/** Button looks, also for links that act as buttons: `<Link className={buttonVariants({ variant: "secondary" })}>`. */
export const buttonVariants = cva(
  "inline-flex shrink-0 items-center justify-center gap-2 rounded-md text-sm font-medium whitespace-nowrap transition-colors no-underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:pointer-events-none disabled:opacity-60 [&_svg]:size-4 [&_svg]:shrink-0",
  {
    variants: {
      variant: {
        primary: "bg-primary text-primary-foreground hover:bg-primary-hover",
        secondary: "bg-card text-foreground ring-1 ring-input ring-inset hover:bg-accent",
        danger: "bg-destructive text-destructive-foreground hover:bg-destructive-hover",
        ghost: "text-foreground hover:bg-accent",
        link: "h-auto px-0 text-link underline underline-offset-2 hover:decoration-2",
      },
      size: {
        sm: "h-8 px-2.5 text-xs",
        md: "min-h-9 px-3 py-2",
        lg: "min-h-11 px-5 py-2.5 text-base",
        icon: "size-9",
      },
    },
    defaultVariants: { variant: "primary", size: "md" },
  },
);


/** The look every text box, select and text area shares; an invalid one gets a red border beside its message. */
export const controlClass =
  "w-full min-w-0 rounded-md border border-input bg-card px-3 py-2 text-sm text-foreground placeholder:text-muted-foreground aria-invalid:border-red-600 aria-invalid:ring-1 aria-invalid:ring-red-600 disabled:opacity-60";
