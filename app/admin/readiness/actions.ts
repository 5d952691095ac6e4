"use server";

import { signOffAttestation as signOffAttestationAction } from "@/lib/status/actions";
import { serverAction } from "@/lib/web";

export const signOffAttestation = serverAction(signOffAttestationAction);
