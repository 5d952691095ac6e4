"use server";

import { verifyAuditChainAction } from "@/lib/audit/actions";
import { serverAction } from "@/lib/safety/next";

export const verifyAuditChain = serverAction(verifyAuditChainAction);
