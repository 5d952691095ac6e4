"use server";

import { signOffAttestation as signOffAttestationAction } from "@/lib/status/actions";
import { serverAction } from "@/lib/safety/next";

export const signOffAttestation = serverAction(signOffAttestationAction);
