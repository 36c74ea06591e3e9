// JSON schemas shared by routes. They validate requests, shape responses, and feed OpenAPI.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { OWASP_ASI, OWASP_LLM, SEVERITIES } from '../engine/types.js';

export const ErrorRef = Type.Unsafe<{ error: string; message: string; code: number; docs: string }>({ $ref: 'Error#' });

/** The error responses every authenticated route can give, for OpenAPI. */
export function errorResponses(...codes: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const c of [400, 401, 403, 429, ...codes]) out[c] = ErrorRef;
  return out;
}

export const Pagination = Type.Object(
  {
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);
export type PaginationQuery = Static<typeof Pagination>;

export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    page: Type.Integer(),
    limit: Type.Integer(),
    total: Type.Integer(),
    has_more: Type.Boolean(),
  });
}

const enumOf = <T extends string>(values: readonly T[], opts: Record<string, unknown> = {}) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });

export const Severity = enumOf(SEVERITIES);
export const RiskLevel = enumOf(['SAFE', 'LOW', 'MODERATE', 'HIGH', 'CRITICAL'] as const);
export const OwaspId = enumOf(Object.keys(OWASP_LLM) as (keyof typeof OWASP_LLM)[]);
export const AsiId = enumOf(Object.keys(OWASP_ASI) as (keyof typeof OWASP_ASI)[]);

const str = (max: number) => Type.String({ maxLength: max });

export const IssueSchema = Type.Object(
  {
    id: str(64),
    type: str(100),
    rule: str(200),
    severity: Severity,
    title: Type.Optional(str(500)),
    description: str(10_000),
    file: str(1_000),
    line: Type.Integer({ minimum: 0 }),
    column: Type.Optional(Type.Integer({ minimum: 0 })),
    end_line: Type.Optional(Type.Integer({ minimum: 0 })),
    code_snippet: str(20_000),
    fix: Type.Optional(str(10_000)),
    owasp: OwaspId,
    asi: Type.Optional(AsiId),
    cwe: Type.Optional(str(20)),
    fingerprint: Type.Optional(str(200)),
    source: Type.Optional(Type.Object({ kind: str(100), line: Type.Integer(), description: str(2_000) })),
    suppressed: Type.Optional(Type.Object({ kind: enumOf(['inline', 'baseline', 'config'] as const), justification: str(2_000) })),
  },
  // Results from newer engines may carry fields this server does not know yet: keep them.
  { additionalProperties: true },
);

export const PermissionsSchema = Type.Object({
  network: Type.Boolean(),
  filesystem: Type.Boolean(),
  environment: Type.Boolean(),
  subprocess: Type.Boolean(),
});

export const NoticeSchema = Type.Object({ file: str(1_000), message: str(2_000), kind: str(50) });

/** ScanResult (ARCHITECTURE §2), as the server returns it. */
export const ScanResultSchema = Type.Object(
  {
    scan_id: Type.String(),
    trust_score: Type.Integer({ minimum: 0, maximum: 100 }),
    risk_level: RiskLevel,
    total_issues: Type.Integer(),
    issues: Type.Array(IssueSchema),
    suppressed_issues: Type.Array(IssueSchema),
    files_scanned: Type.Integer(),
    frameworks: Type.Array(Type.String()),
    permissions: PermissionsSchema,
    notices: Type.Array(NoticeSchema),
    scan_time_ms: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    share_url: Type.String(),
    badge_url: Type.String(),
    cached: Type.Boolean({ description: 'true when this content was scanned before and the stored result is returned' }),
    source: enumOf(['api', 'zip', 'import', 'github'] as const),
    agent_name: Type.Union([Type.String(), Type.Null()]),
    description: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'ScanResult', additionalProperties: true },
);

export const ScanResultRef = Type.Unsafe<Static<typeof ScanResultSchema>>({ $ref: 'ScanResult#' });
