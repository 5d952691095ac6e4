import { myProjects } from "@/lib/projects/queries";
import { loadPage } from "@/lib/web";

/**
 * The bench's peer for /projects, built only into the bench's own build
 * (next.config.ts, `BENCH_PAGES`): the same query through the same guarded
 * read, under the same proxy, root layout and template, and nothing else.
 * What /projects costs beyond it is the page's own content.
 */
export default async function BareProjectsPage() {
  const { projects } = await loadPage(myProjects);
  return (
    <ul>
      {projects.map((project) => (
        <li key={project.id}>{project.name}</li>
      ))}
    </ul>
  );
}
