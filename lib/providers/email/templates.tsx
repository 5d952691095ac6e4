import "server-only";
import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, render, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { env } from "@/lib/env";
import type { EmailMessage } from "./types";

/**
 * What kind of mail a template is. Only optional notices carry
 * List-Unsubscribe: account, security and billing mail must reach the owner
 * whatever they chose, and operator mail is configured, not subscribed to.
 */
type TemplateKind = "account" | "billing" | "notice" | "operator";
type TemplateSpec = { kind: TemplateKind; /** Label of the button that leads to the message's first link. */ action?: string };

const TEMPLATES: Record<string, TemplateSpec> = {
  welcome: { kind: "account" },
  email_verification: { kind: "account", action: "Confirm my email address" },
  sign_up_existing: { kind: "account", action: "Sign in" },
  password_reset: { kind: "account", action: "Choose a new password" },
  password_changed: { kind: "account" },
  impersonation_started: { kind: "account" },
  deletion_receipt: { kind: "account" },
  plan_changed: { kind: "billing" },
  subscription_canceled: { kind: "billing" },
  renewal_failed: { kind: "billing" },
  renewal_canceled: { kind: "billing" },
  payment_failed: { kind: "billing" },
  payment_refunded: { kind: "billing" },
  report_resolved: { kind: "notice" },
  alert: { kind: "operator", action: "Open the alert" },
};

export function templateSpec(template: string | undefined): TemplateSpec {
  return (template && TEMPLATES[template]) || { kind: "account" };
}

/** Optional notices are the only mail someone can opt out of. */
export function isOptional(template: string | undefined): boolean {
  return templateSpec(template).kind === "notice";
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;
/** App paths written in a body ("Review it at /admin/flags.") become full links to this app. */
const APP_PATH = /(^|\s)(\/(?:admin|account|billing|projects|status|reset-password|verify-email)[\w\-/?=&#.%]*?)(?=[.,;:!?)]*(?:\s|$))/g;

export function absolutiseAppPaths(text: string): string {
  return text.replace(APP_PATH, (_m, space: string, path: string) => `${space}${env.appUrl.replace(/\/$/, "")}${path}`);
}

function linkified(line: string): ReactNode[] {
  return line.split(URL_PATTERN).map((part, i) =>
    i % 2 === 1 ? (
      <Link key={i} href={part} style={{ color: "#075985" }}>
        {part}
      </Link>
    ) : (
      part
    ),
  );
}

const FOOTERS: Record<TemplateKind, string> = {
  account: "You receive this because it concerns your Breakwater account.",
  billing: "You receive this because it concerns your Breakwater subscription.",
  notice: "You receive this because you use Breakwater.",
  operator: "You receive this because you are on this Breakwater deployment's alert list.",
};

function EmailLayout({ subject, paragraphs, action, footer, unsubscribeUrl }: { subject: string; paragraphs: string[]; action: { label: string; href: string } | null; footer: string; unsubscribeUrl: string | null }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{paragraphs[0] ?? subject}</Preview>
      <Body style={{ backgroundColor: "#f8fafc", fontFamily: "system-ui, -apple-system, Segoe UI, sans-serif", color: "#0f172a" }}>
        <Container style={{ backgroundColor: "#ffffff", padding: "24px", maxWidth: "560px", borderRadius: "8px" }}>
          <Text style={{ fontSize: "14px", fontWeight: 600, color: "#0369a1", margin: 0 }}>Breakwater</Text>
          <Heading as="h1" style={{ fontSize: "20px", margin: "12px 0" }}>
            {subject}
          </Heading>
          {paragraphs.map((p, i) => (
            <Text key={i} style={{ fontSize: "15px", lineHeight: "24px" }}>
              {linkified(p)}
            </Text>
          ))}
          {action ? (
            <Section style={{ margin: "16px 0" }}>
              <Button href={action.href} style={{ backgroundColor: "#0369a1", color: "#ffffff", padding: "10px 16px", borderRadius: "6px", fontWeight: 600 }}>
                {action.label}
              </Button>
            </Section>
          ) : null}
          <Hr />
          <Text style={{ fontSize: "12px", color: "#475569" }}>
            {footer}
            {unsubscribeUrl ? (
              <>
                {" "}
                <Link href={unsubscribeUrl} style={{ color: "#475569" }}>
                  Stop these emails
                </Link>
              </>
            ) : null}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export type RenderedEmail = { html: string; text: string };

/** The message as a person reads it: the HTML part from the React Email layout, and the plain-text part. */
export async function renderEmail(message: Pick<EmailMessage, "subject" | "text" | "template">, unsubscribeUrl: string | null): Promise<RenderedEmail> {
  const spec = templateSpec(message.template);
  const body = absolutiseAppPaths(message.text);
  const paragraphs = body.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  const firstLink = body.match(URL_PATTERN)?.[0];
  const action = spec.action && firstLink ? { label: spec.action, href: firstLink } : null;
  const footer = FOOTERS[spec.kind];
  const html = await render(<EmailLayout subject={message.subject} paragraphs={paragraphs} action={action} footer={footer} unsubscribeUrl={unsubscribeUrl} />);
  const text = [body, "", "--", footer, unsubscribeUrl ? `Stop these emails: ${unsubscribeUrl}` : null].filter((l) => l !== null).join("\n");
  return { html, text };
}
