import { count } from "drizzle-orm";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { auditEvents, projects, users } from "@/db/schema";
import { userWithPermission } from "@/lib/auth";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  if (!(await userWithPermission("admin:read"))) return <AccessDenied />;
  const db = await getDb();
  const [[u], [p], [a]] = await Promise.all([
    db.select({ n: count() }).from(users),
    db.select({ n: count() }).from(projects),
    db.select({ n: count() }).from(auditEvents),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Support and operations.">Admin</PageHeading>
      <div className="grid gap-4 sm:grid-cols-3">
        <Card title="Users">{u?.n ?? 0}</Card>
        <Card title="Projects">{p?.n ?? 0}</Card>
        <Card title="Audit events">{a?.n ?? 0}</Card>
      </div>
    </div>
  );
}
