"use server";

import { verifyAuditChainAction } from "@/lib/audit/actions";
import { serverAction } from "@/lib/web";

export const verifyAuditChain = serverAction(verifyAuditChainAction);
