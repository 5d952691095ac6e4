import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

/**
 * Markdown → sanitised HTML, split around live-state markers. A step may
 * carry `[[kill_switch:payments]]`, `[[breaker:email]]` or `[[job:renewals]]`;
 * the page renders the live state and its button right there.
 */
export type Control = { kind: "kill_switch" | "breaker" | "job"; name: string };
export type Segment = { type: "html"; html: string } | { type: "control"; control: Control };

export const CONTROL_MARKER = /\[\[(kill_switch|breaker|job):([a-z][a-z0-9_]*)\]\]/g;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, "h1", "h2", "img", "del", "input"],
  allowedAttributes: { ol: ["start"], a: ["href", "title"], img: ["src", "alt", "title"], code: ["class"], input: ["type", "checked", "disabled"], th: ["align"], td: ["align"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href", "src"],
  allowProtocolRelative: false,
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
};

export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(marked.parse(markdown, { async: false, gfm: true }), SANITIZE);
}

export function markersIn(markdown: string): Control[] {
  return [...markdown.matchAll(CONTROL_MARKER)].map((m) => ({ kind: m[1] as Control["kind"], name: m[2]! }));
}

const MARKER_LINE = /^\s*(?:[-*]\s+)?\[\[(kill_switch|breaker|job):([a-z][a-z0-9_]*)\]\]\s*$/;

/**
 * Sanitised HTML segments with the controls between them, in document
 * order. A marker must sit on its own line (right after the step it belongs
 * to); the markdown is split there so no HTML element is cut in half.
 */
export function renderRunbook(markdown: string): Segment[] {
  const segments: Segment[] = [];
  let chunk: string[] = [];
  const flush = () => {
    const text = chunk.join("\n");
    if (text.trim()) segments.push({ type: "html", html: renderMarkdown(text) });
    chunk = [];
  };
  for (const line of markdown.split("\n")) {
    const m = MARKER_LINE.exec(line);
    if (m) {
      flush();
      segments.push({ type: "control", control: { kind: m[1] as Control["kind"], name: m[2]! } });
    } else chunk.push(line);
  }
  flush();
  return segments;
}
