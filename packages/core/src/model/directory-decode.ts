/**
 * Decoders of the directory operations' bodies, like the sessions': drift becomes warnings,
 * names match in any letter case, a body of the wrong kind is an UndecodableResponseError.
 */
import type { z } from "zod";
import { decodeWith, LIST_BODY_KEYS, type Decoded } from "./decode.js";
import {
  CallInfoSchema,
  ChatTranscriptMessageSchema,
  CustomerInfoSchema,
  EndpointInfoSchema,
  FlowInfoSchema,
  StrictDirectorySchemas as Strict,
  UserInfoSchema,
  type CallInfo,
  type ChatTranscriptMessage,
  type CustomerInfo,
  type EndpointInfo,
  type FlowInfo,
  type UserInfo,
} from "./directory.js";
import { AccountInfoSchema, StrictAccountInfoSchema, type AccountInfo } from "./account.js";
import { listResponseSchema, strictListResponseSchema, type ListResponse } from "./list.js";
import { SessionInfoSchema, StrictSessionInfoSchema, type SessionInfo } from "./session.js";
import { strictFields, tolerantFields } from "./fields.js";

/** A decoder of one kind of body. */
export type BodyDecoder<T> = (input: unknown) => Decoded<T>;

function one<T>(what: string, strict: z.ZodType, tolerant: z.ZodType<T>): BodyDecoder<T> {
  return (input) => decodeWith(what, strict, tolerant, input);
}

function list<T>(
  what: string,
  strict: z.ZodType,
  tolerant: z.ZodType<T>,
): BodyDecoder<ListResponse<T>> {
  const strictList = strictListResponseSchema(strict);
  const tolerantList = listResponseSchema(tolerant) as z.ZodType<ListResponse<T>>;
  return (input) => decodeWith(what, strictList, tolerantList, input, LIST_BODY_KEYS);
}

/** `{ <key>: T[] }`, the shape of GetActiveSessions, GetActiveCalls and GetChatTranscript. */
function wrapped<T>(
  what: string,
  key: string,
  strict: z.ZodType,
  tolerant: z.ZodType<T>,
): BodyDecoder<T[]> {
  const strictBody = strictFields.object({ [key]: strictFields.arrayOf(strict) });
  const tolerantBody = tolerantFields.object({ [key]: tolerantFields.arrayOf(tolerant) });
  return (input) => {
    const decoded = decodeWith(what, strictBody, tolerantBody, input, [key]);
    const items = (decoded.value as Record<string, T[] | null | undefined>)[key] ?? [];
    return { value: items, warnings: decoded.warnings };
  };
}

export const decodeUserInfo: BodyDecoder<UserInfo> = one(
  "the signed-in user (UserInfo)",
  Strict.UserInfo,
  UserInfoSchema,
);
export const decodeAccountList: BodyDecoder<ListResponse<AccountInfo>> = list(
  "a list of accounts",
  StrictAccountInfoSchema,
  AccountInfoSchema,
);
export const decodeCustomer: BodyDecoder<CustomerInfo> = one(
  "a customer",
  Strict.CustomerInfo,
  CustomerInfoSchema,
);
export const decodeCustomerList: BodyDecoder<ListResponse<CustomerInfo>> = list(
  "a list of customers",
  Strict.CustomerInfo,
  CustomerInfoSchema,
);
export const decodeEndpoint: BodyDecoder<EndpointInfo> = one(
  "an endpoint",
  Strict.EndpointInfo,
  EndpointInfoSchema,
);
export const decodeEndpointList: BodyDecoder<ListResponse<EndpointInfo>> = list(
  "a list of endpoints",
  Strict.EndpointInfo,
  EndpointInfoSchema,
);
export const decodeFlow: BodyDecoder<FlowInfo> = one("a flow", Strict.FlowInfo, FlowInfoSchema);
export const decodeFlowList: BodyDecoder<ListResponse<FlowInfo>> = list(
  "a list of flows",
  Strict.FlowInfo,
  FlowInfoSchema,
);
export const decodeSessionsBody: BodyDecoder<SessionInfo[]> = wrapped(
  "a list of active sessions",
  "sessions",
  StrictSessionInfoSchema,
  SessionInfoSchema,
);
export const decodeCallsBody: BodyDecoder<CallInfo[]> = wrapped(
  "a list of active calls",
  "calls",
  Strict.CallInfo,
  CallInfoSchema,
);
export const decodeTranscriptBody: BodyDecoder<ChatTranscriptMessage[]> = wrapped(
  "a chat transcript",
  "messages",
  Strict.ChatTranscriptMessage,
  ChatTranscriptMessageSchema,
);
