/**
 * The two Vercel REST API calls a deploy rollback needs: list the project's
 * ready production deployments, and promote one (no rebuild). Nothing else
 * in the app talks to Vercel, so this lives with the CLI.
 */
export type VercelConfig = { token: string; projectId: string; teamId?: string; apiUrl: string };
export type VercelDeployment = { uid: string; url: string; created: number };

const REQUEST_TIMEOUT_MS = 15_000;

function endpoint(config: VercelConfig, path: string, query: Record<string, string> = {}): string {
  const url = new URL(path, config.apiUrl);
  for (const [k, v] of Object.entries({ ...query, ...(config.teamId ? { teamId: config.teamId } : {}) })) url.searchParams.set(k, v);
  return url.toString();
}

async function call(config: VercelConfig, method: "GET" | "POST", url: string): Promise<Response> {
  // INCIDENT: a release must be reverted and Vercel's API is slow or refuses the token.
  // FAILURE MODE: timeout after 15 s or a 4xx/5xx; nothing is promoted, the error names the status.
  // SAFE TO RETRY: yes; listing changes nothing and promoting the same deployment twice leaves it current.
  // OPERATOR ACTION: runbook rollback (promote from Vercel's dashboard if the API stays down).
  const response = await fetch(url, { method, headers: { Authorization: `Bearer ${config.token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (!response.ok) {
    const body = await response.text().catch(() => "");
    throw new Error(`Vercel answered ${response.status} to ${method} ${new URL(url).pathname}${body ? `: ${body.slice(0, 300)}` : ""}`);
  }
  return response;
}

/** The project's ready production deployments, newest first. */
export async function listProductionDeployments(config: VercelConfig, limit = 10): Promise<VercelDeployment[]> {
  const url = endpoint(config, "/v6/deployments", { projectId: config.projectId, target: "production", state: "READY", limit: String(limit) });
  const body = (await (await call(config, "GET", url)).json()) as { deployments?: VercelDeployment[] };
  return [...(body.deployments ?? [])].sort((a, b) => b.created - a.created);
}

/**
 * Promotes the production deployment before the newest one (or `to`, a
 * deployment id). Returns what was current and what is promoted.
 */
export async function promotePreviousDeployment(config: VercelConfig, to?: string): Promise<{ from: VercelDeployment; to: VercelDeployment; status: number }> {
  const deployments = await listProductionDeployments(config);
  const [current, previous] = deployments;
  if (!current) throw new Error("Vercel lists no ready production deployment for this project.");
  const target = to ? deployments.find((d) => d.uid === to) : previous;
  if (!target) throw new Error(to ? `Deployment ${to} is not one of the project's ready production deployments.` : "There is no earlier production deployment to promote.");
  const response = await call(config, "POST", endpoint(config, `/v10/projects/${encodeURIComponent(config.projectId)}/promote/${encodeURIComponent(target.uid)}`));
  return { from: current, to: target, status: response.status };
}
