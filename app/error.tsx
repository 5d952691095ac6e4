"use client";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">Nothing you did caused this. Please try again.</p>
      {error.digest ? <p className="mt-2 text-sm text-slate-500">Error id: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="mt-4 rounded-md bg-sky-700 px-4 py-2 text-white">
        Try again
      </button>
    </div>
  );
}
