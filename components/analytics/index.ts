export { PostHogProvider } from "./posthog-provider";
export { analyticsSessionId } from "./session";
