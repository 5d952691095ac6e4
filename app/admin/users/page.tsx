import { asc } from "drizzle-orm";
import Link from "next/link";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { hasPermission, userWithPermission } from "@/lib/auth";
import { RoleForm } from "./role-form";

export const metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const staff = await userWithPermission("admin:read");
  if (!staff) return <AccessDenied />;
  const db = await getDb();
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.createdAt))
    .limit(200);
  const canEdit = hasPermission(staff.role, "admin:write");
  return (
    <div>
      <PageHeading description="Accounts and their roles.">Users</PageHeading>
      <Card>
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2">Email</th>
              <th>Name</th>
              <th>Status</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.id}>
                <td className="py-2">
                  <Link href={`/admin/users/${row.id}`} className="text-sky-800 hover:underline">
                    {row.email}
                  </Link>
                </td>
                <td>{row.name}</td>
                <td>{row.status}</td>
                <td>{canEdit && row.id !== staff.id ? <RoleForm userId={row.id} role={row.role} email={row.email} /> : row.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
