// The server's public surface.
export { build, DEFAULT_LIMITS, REDACT_PATHS, type BuildOptions, type BootstrapInfo, type Services } from './app.js';
export { serve, optionsFromEnv, type ServeOptions } from './serve.js';
export { EventBus, type AppEvents, type EventContext, type EventName } from './events.js';
export { ApiError, type ErrorEnvelope } from './errors.js';
export { SCOPES, hasScope, actorLabel, type Actor, type KeyActor, type Scope } from './actor.js';
export type { Database } from './db/schema.js';
export { createApproval, decideApproval, confirmApproval, getApproval, expireApprovals, type ApprovalView, type CreateApprovalInput, type DecisionInput } from './modules/approvals/service.js';
export { appendAudit, verifyAuditChain, type AuditInput, type ChainVerification } from './modules/audit/service.js';
export { verifySignature } from './modules/webhooks/signature.js';
export { isPrivateAddress } from './ssrf.js';
