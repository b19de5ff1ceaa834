// @evo-sessions/sandbox/wire: the sandbox's own encoding of the Evo Voice wire contract, written
// from docs/spec and not from core. Exported so that core's tests can pit core's encoding
// against this one; the sandbox's server uses the same functions.
export type {
  AccountInfo,
  BillingItem,
  BillingSettings,
  CustomerBreadcrumb,
  EntityInfo,
  FlowChannel,
  Listed,
  ListResponse,
  SessionCallState,
  SessionDialState,
  SessionDirection,
  SessionHoldReason,
  SessionInfo,
  SessionLogInfo,
  SessionMemberCallState,
  SessionMemberInfo,
  SessionMemberRole,
  SessionQueueState,
  SortOrder,
} from "./dto.js";
export {
  SESSION_INFO_FIELDS,
  SESSION_DATE_FIELDS,
  sessionInfoField,
  type SessionInfoField,
} from "./session-fields.js";
export { parseWireList } from "./list.js";
export {
  parseWireDate,
  parseCalendarDay,
  formatWcfDate,
  formatIsoDate,
  formatWireDate,
  type DateFormat,
} from "./dates.js";
export {
  parseListSessions,
  DEFAULT_COUNT_PER_PAGE,
  type ListSessionsRequest,
  type ListSessionsRejection,
  type FieldError,
} from "../sessions/list-params.js";
