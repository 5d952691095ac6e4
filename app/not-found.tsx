import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-2 text-slate-600">We couldn&apos;t find that page.</p>
      <Link href="/" className="mt-4 inline-block text-sky-800 underline">
        Go home
      </Link>
    </div>
  );
}
