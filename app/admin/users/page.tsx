import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { listUsers } from "@/lib/auth/queries";
import { loadPage } from "@/lib/web";
import { RoleForm } from "./role-form";

export const metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const rows = await loadPage(listUsers);
  return (
    <div>
      <PageHeading description="Accounts and their roles.">Users</PageHeading>
      <Card>
        <DataTable
          label="Users"
          rows={rows}
          rowKey={(row) => row.id}
          columns={[
            {
              key: "email",
              header: "Email",
              cell: (row) => (
                <Link href={`/admin/users/${row.id}`} className="text-sky-800 hover:underline">
                  {row.email}
                </Link>
              ),
            },
            { key: "name", header: "Name", cell: (row) => row.name },
            { key: "status", header: "Status", cell: (row) => row.status },
            { key: "role", header: "Role", cell: (row) => (row.roleEditable ? <RoleForm userId={row.id} role={row.role} email={row.email} /> : row.role) },
          ]}
        />
      </Card>
    </div>
  );
}
