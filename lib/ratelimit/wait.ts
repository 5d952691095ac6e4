/**
 * A wait as a person says it: "30 seconds", "about 34 minutes", "about 2 hours"
 * (never "2018 seconds"). Rounded, because the exact second is not news.
 */
export function describeWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s <= 60) return s === 1 ? "1 second" : `${s} seconds`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return minutes === 1 ? "about a minute" : `about ${minutes} minutes`;
  const hours = Math.round(s / 3600);
  return hours === 1 ? "about an hour" : `about ${hours} hours`;
}

/** The sentence a refused call shows: why, and when to try again. */
export function refusalMessage(outcome: "limited" | "limiter_unavailable", retryAfterSeconds: number, limited = "Too many attempts."): string {
  const when = `Try again in ${describeWait(retryAfterSeconds)}.`;
  return outcome === "limiter_unavailable" ? `We can't check this safely right now. ${when}` : `${limited} ${when}`;
}
