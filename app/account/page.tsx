import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { accountSettings } from "@/lib/accounts/queries";
import { loadPage } from "@/lib/web";
import { ResendVerification } from "./resend-verification";
import { SignOutEverywhereForm } from "./sign-out-everywhere";

export const metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await loadPage(accountSettings);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Your profile and account settings.">Account</PageHeading>
      <Card title="Profile">
        <dl className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
          <dt className="text-slate-500">Name</dt>
          <dd>{user.name}</dd>
          <dt className="text-slate-500">Email</dt>
          <dd className="flex flex-col gap-2">
            <span>
              {user.email} {user.emailConfirmed ? <span className="text-emerald-800">(confirmed)</span> : <span className="text-amber-800">(not confirmed yet)</span>}
            </span>
            {user.emailConfirmed ? null : <ResendVerification />}
          </dd>
          <dt className="text-slate-500">Role</dt>
          <dd>{user.role}</dd>
        </dl>
      </Card>
      <Card title="Sessions">
        <SignOutEverywhereForm />
      </Card>
      <Card title="Your data and account">
        <ul className="flex flex-col gap-1 text-sm">
          <li>
            <Link href="/account/data" className="text-sky-800 hover:underline">
              Export my data
            </Link>
          </li>
          <li>
            <Link href="/account/danger" className="text-sky-800 hover:underline">
              Deactivate or delete account
            </Link>
          </li>
        </ul>
      </Card>
    </div>
  );
}
