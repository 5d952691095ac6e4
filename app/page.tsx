import Link from "next/link";

export default function LandingPage() {
  return (
    <div className="py-12">
      <h1 className="text-4xl font-bold tracking-tight">Ship your SaaS with a breakwater.</h1>
      <p className="mt-4 max-w-2xl text-lg text-slate-600">
        Projects, billing and notifications, protected by kill switches, circuit breakers, rate limits, an audit log you can prove and read-only support access.
      </p>
      <div className="mt-8 flex gap-3">
        <Link href="/sign-up" className="rounded-md bg-sky-700 px-4 py-2 text-white hover:bg-sky-800">
          Create an account
        </Link>
        <Link href="/sign-in" className="rounded-md px-4 py-2 ring-1 ring-slate-300 hover:bg-white">
          Sign in
        </Link>
      </div>
    </div>
  );
}
