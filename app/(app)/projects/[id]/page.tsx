import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { Card, PageHeading } from "@/components/ui/card";
import { projectDetail } from "@/lib/projects/queries";
import { loadPage } from "@/lib/web";
import { DeleteProjectButton, RenameProjectForm } from "./project-forms";
import { CreateTaskForm, DeleteTaskButton } from "./task-forms";

// One read per request, shared by the title and the page.
const loadProject = cache((id: string) => loadPage(projectDetail, { id }));

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: (await loadProject((await params).id)).project.name };
}

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { project, tasks, trashDays } = await loadProject((await params).id);
  return (
    <div className="flex flex-col gap-6">
      <Link href="/projects" className="text-sm text-sky-800 hover:underline">
        ← All projects
      </Link>
      <PageHeading description={project.description || undefined}>{project.name}</PageHeading>
      <Card title="Tasks">
        {tasks.length === 0 ? (
          <p className="text-sm text-slate-600">No tasks yet.</p>
        ) : (
          <ul className="mb-4 divide-y divide-slate-100">
            {tasks.map((task) => (
              <li key={task.id} className="flex items-center justify-between py-2">
                <span>{task.title}</span>
                <DeleteTaskButton taskId={task.id} title={task.title} />
              </li>
            ))}
          </ul>
        )}
        <CreateTaskForm projectId={project.id} />
      </Card>
      <Card title="Rename">
        <RenameProjectForm projectId={project.id} name={project.name} />
      </Card>
      <Card title="Danger zone">
        <DeleteProjectButton projectId={project.id} name={project.name} trashDays={trashDays} />
      </Card>
    </div>
  );
}
