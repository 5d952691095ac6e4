/** How an incident shows on /status: impact picks the component state, status the stage. */
export const INCIDENT_IMPACTS = ["minor", "major", "critical"] as const;
/** P0 (everyone, all hands) … P3 (minor, business hours): runbooks/incident-response.md defines each. */
export const INCIDENT_SEVERITIES = ["P0", "P1", "P2", "P3"] as const;
export const INCIDENT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export const STATUS_LABELS: Record<string, string> = {
  draft: "Draft",
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  discarded: "Discarded",
};
/** A kill switch off or a breaker open longer than this drafts an incident for an admin to publish or discard. */
export const DRAFT_INCIDENT_AFTER_MINUTES = 5;
