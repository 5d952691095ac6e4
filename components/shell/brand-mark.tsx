/** The Breakwater mark: a wall with a wave breaking on it. Decorative beside the name. */
export function BrandMark({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={className}>
      <rect width="32" height="32" rx="7" className="fill-sky-700" />
      <path d="M5 20c3.5 0 4.5-5 8-5s4.5 5 8 5 3-3 6-3" fill="none" stroke="white" strokeWidth="2.6" strokeLinecap="round" />
      <path d="M5 25h22" stroke="white" strokeWidth="2.6" strokeLinecap="round" />
      <path d="M22 8v9" stroke="white" strokeWidth="3" strokeLinecap="round" opacity="0.85" />
    </svg>
  );
}
