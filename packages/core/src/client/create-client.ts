import { InvalidOptionError } from "../errors/evo-voice-error.js";
import { ApiCore } from "./api-core.js";
import { authApi } from "./auth-api.js";
import { directoryApi } from "./directory-api.js";
import { sessionsApi } from "./sessions-api.js";
import type { EvoVoiceClient, EvoVoiceClientOptions } from "./types.js";

/**
 * Creates a client for the Evo Voice API. Nothing is sent until the first call; with
 * credentials, the first call signs in.
 *
 * @example
 * const client = createEvoVoiceClient({ auth: { type: "credentials", userName, password } });
 * for await (const session of client.iterateSessions(SessionQuery.create().since("2026-01-01"))) …
 */
export function createEvoVoiceClient(options: EvoVoiceClientOptions = {}): EvoVoiceClient {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(
      "options",
      "expected an object such as { baseUrl, auth }",
      options,
    );
  }
  const core = new ApiCore(options);
  return {
    baseUrl: core.config.baseUrl,
    ...authApi(core),
    ...sessionsApi(core),
    ...directoryApi(core),
  };
}
