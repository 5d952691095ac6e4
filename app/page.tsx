import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

export default function LandingPage() {
  return (
    <div className="py-12">
      <h1 className="text-3xl font-bold tracking-tight sm:text-5xl">Ship your SaaS with a breakwater.</h1>
      <p className="mt-4 max-w-2xl text-lg text-slate-600">
        Projects, billing and notifications, protected by kill switches, circuit breakers, rate limits, an audit log you can prove and read-only support access.
      </p>
      <div className="mt-8 flex flex-wrap gap-3">
        <Link href="/sign-up" className={buttonVariants({ size: "lg" })}>
          Create an account
        </Link>
        <Link href="/sign-in" className={buttonVariants({ variant: "secondary", size: "lg" })}>
          Sign in
        </Link>
      </div>
    </div>
  );
}
