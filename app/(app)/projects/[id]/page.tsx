import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { trashRetentionDays } from "@/lib/accounts/policy";
import { requireUser } from "@/lib/auth";
import { findProject, listTasks } from "@/lib/projects";
import { DeleteProjectButton, RenameProjectForm } from "./project-forms";
import { CreateTaskForm, DeleteTaskButton } from "./task-forms";

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const id = z.string().uuid().safeParse((await params).id);
  const db = await getDb();
  const project = id.success ? await findProject(db, user.id, id.data) : null;
  if (!project) notFound();
  const tasks = await listTasks(db, user.id, project.id);
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
        <DeleteProjectButton projectId={project.id} name={project.name} trashDays={trashRetentionDays()} />
      </Card>
    </div>
  );
}
