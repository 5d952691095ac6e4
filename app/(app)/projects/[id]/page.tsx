import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth";
import { findProject } from "@/lib/projects";
import { DeleteProjectButton, RenameProjectForm } from "./project-forms";

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const id = z.string().uuid().safeParse((await params).id);
  const project = id.success ? await findProject(await getDb(), user.id, id.data) : null;
  if (!project) notFound();
  return (
    <div className="flex flex-col gap-6">
      <Link href="/projects" className="text-sm text-sky-800 hover:underline">
        ← All projects
      </Link>
      <PageHeading description={project.description || undefined}>{project.name}</PageHeading>
      <Card title="Rename">
        <RenameProjectForm projectId={project.id} name={project.name} />
      </Card>
      <Card title="Danger zone">
        <DeleteProjectButton projectId={project.id} name={project.name} />
      </Card>
    </div>
  );
}
