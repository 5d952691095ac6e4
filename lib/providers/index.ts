import { OutboxEmailProvider } from "./email/outbox";
import type { EmailProvider } from "./email/types";
import { FakePaymentsProvider } from "./payments/fake";
import type { PaymentsProvider } from "./payments/types";

/**
 * The providers in use. Only the fakes exist so far; a real adapter
 * implements the same interface and is chosen here by configuration.
 * Call them through lib/breakers, never directly.
 */
export const providers: { payments: PaymentsProvider; email: EmailProvider } = {
  payments: new FakePaymentsProvider(),
  email: new OutboxEmailProvider(),
};

export { ProviderError } from "./errors";
export { parseFaults, setFaults, currentFaults, fakeCallCount, type Faults } from "./faults";
export type { ChargeRequest, Charge } from "./payments/types";
export type { EmailMessage } from "./email/types";
