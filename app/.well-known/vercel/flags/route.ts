import { createFlagsDiscoveryEndpoint, getProviderData } from "flags/next";
import type { NextRequest } from "next/server";
import * as productFlags from "@/flags";
import { env } from "@/lib/env";

// Flags Explorer's discovery endpoint: the SDK answers only a request carrying an access proof made with FLAGS_SECRET
// (401 otherwise). Without the secret there is no Flags Explorer, so there is nothing here.
const discovery = createFlagsDiscoveryEndpoint(() => getProviderData(productFlags), { secret: env.FLAGS_SECRET });

export async function GET(request: NextRequest): Promise<Response> {
  if (!env.FLAGS_SECRET) return new Response(null, { status: 404 });
  return discovery(request);
}
