import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { myProjects } from "@/lib/projects/queries";
import { loadPage } from "@/lib/web";
import { CreateProjectForm } from "./create-project-form";

export const metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const { projects, trashDays } = await loadPage(myProjects);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Everything you're working on.">Projects</PageHeading>
      <p className="text-sm">
        <Link href="/projects/trash" className="text-sky-800 hover:underline">
          Trash
        </Link>{" "}
        <span className="text-slate-500">— deleted projects, restorable for {trashDays} days</span>
      </p>
      <Card title="New project">
        <CreateProjectForm />
      </Card>
      <Card title="Your projects">
        {projects.length === 0 ? (
          <p className="text-slate-600">No projects yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {projects.map((project) => (
              <li key={project.id} className="py-2">
                <Link href={`/projects/${project.id}`} className="font-medium text-sky-800 hover:underline">
                  {project.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
