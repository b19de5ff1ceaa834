/**
 * What every operation of the client shares: the configuration, the sign-in, the requester and
 * the redactor, the deadline rule, and one way to GET a path and decode its body. The operation
 * modules (sessions, auth, directory) are thin over this.
 */
import { EvoVoiceError } from "../errors/evo-voice-error.js";
import { UndecodableResponseError } from "../errors/response-errors.js";
import type { Decoded } from "../model/decode.js";
import type { ListResponse } from "../model/list.js";
import type { ListPage } from "./paging.js";
import { AuthSession } from "./auth-session.js";
import { checkDeadline, resolveClientConfig, type ClientConfig } from "./client-config.js";
import { Deadline } from "./deadline.js";
import { describeJsonValue, undecodableError } from "./error-mapping.js";
import { Redactor } from "./redactor.js";
import { Requester, type ApiReply } from "./requester.js";
import type { CallOptions, EvoVoiceClientOptions } from "./types.js";

/** One GET: where, with which query string, and how to read what comes back. */
export interface GetRequest<T> {
  path: string;
  query?: string;
  decode: (json: unknown) => Decoded<T>;
  /** What the body should be, for the error when it is not (e.g. "a ListResponse object"). */
  expected: string;
  /** A 2xx body that means "not signed in" (see ApiRequest.meansSignedOut). */
  meansSignedOut?: (json: unknown) => boolean;
}

export class ApiCore {
  readonly config: ClientConfig;
  readonly redactor = new Redactor();
  readonly auth: AuthSession;
  readonly requester: Requester;

  constructor(options: EvoVoiceClientOptions) {
    this.config = resolveClientConfig(options);
    this.auth = new AuthSession(options.auth, this.config, this.redactor);
    this.requester = new Requester(this.config, this.auth, this.redactor);
  }

  /** The deadline of one call: its own `deadlineMs`, else the client's, else none. */
  deadlineFor(callOptions: CallOptions): Deadline | undefined {
    const ms = checkDeadline("deadlineMs", callOptions.deadlineMs) ?? this.config.deadlineMs;
    return ms === undefined ? undefined : new Deadline(ms);
  }

  /** GETs a path and decodes its body; drift warnings go to the onDecodeWarnings hook. */
  async get<T>(
    request: GetRequest<T>,
    callOptions: CallOptions,
    deadline: Deadline | undefined = this.deadlineFor(callOptions),
  ): Promise<{ value: T; reply: ApiReply; warnings: Decoded<T>["warnings"] }> {
    const reply = await this.requester.send({
      method: "GET",
      path: request.path,
      ...(request.query === undefined || request.query === "" ? {} : { query: request.query }),
      signal: callOptions.signal,
      deadline,
      ...(request.meansSignedOut === undefined ? {} : { meansSignedOut: request.meansSignedOut }),
    });
    const { value, warnings } = this.#decode(request, reply);
    if (warnings.length > 0) this.config.hooks.onDecodeWarnings({ url: reply.url, warnings });
    return { value, reply, warnings };
  }

  #decode<T>(request: GetRequest<T>, reply: ApiReply): Decoded<T> {
    try {
      return request.decode(reply.json);
    } catch (error) {
      throw undecodableError(
        {
          request: `GET ${request.path}`,
          attempts: 1,
          origin: this.config.baseUrl,
          redactor: this.redactor,
        },
        {
          received:
            error instanceof UndecodableResponseError
              ? error.received
              : describeJsonValue(reply.json),
          kind: "wrong_shape",
          expected: request.expected,
          cause: error instanceof EvoVoiceError ? undefined : error,
          status: reply.status,
        },
      );
    }
  }
}

/** A decoded list body as a page: items always an array, absent totals undefined. */
export function pageOf<T>(
  value: ListResponse<T>,
  page: number,
  warnings: Decoded<unknown>["warnings"],
): ListPage<T> {
  return {
    items: value.items ?? [],
    page,
    totalCount: value.totalCount ?? undefined,
    totalPages: value.totalPages ?? undefined,
    hasMorePages: value.hasMorePages ?? undefined,
    warnings,
  };
}
