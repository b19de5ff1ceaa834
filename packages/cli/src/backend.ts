import { createEvoVoiceClient, type EvoVoiceClient } from "@evo-sessions/core";
import { startSandbox, type Sandbox } from "@evo-sessions/sandbox";
import type { CliEnvironment } from "./env.js";
import { notice, type CliIo } from "./io.js";
import { VERSION } from "./version.js";

/** A client for Evo Voice, or for the embedded sandbox when no credentials are set. */
export interface Backend {
  client: EvoVoiceClient;
  /** The embedded sandbox, when one was started. */
  sandbox: Sandbox | undefined;
  /** Where the sessions come from, in words (`https://evovoice.io as me@x`, `sandbox`). */
  source: string;
  close(): Promise<void>;
}

/** Sessions the embedded sandbox generates. */
export const EMBEDDED_SANDBOX_SESSIONS = 5000;

/**
 * Connects with the environment's credentials, or starts the sandbox in this process and signs
 * in as its MSP demo user, saying so on stderr: its data must never pass for real calls.
 */
export async function connect(env: CliEnvironment, io: CliIo): Promise<Backend> {
  const userAgent = `evo-sessions-cli/${VERSION}`;
  if (env.userName !== undefined && env.password !== undefined) {
    if (env.allowInsecureHttp && env.baseUrl.startsWith("http:")) {
      notice(
        io,
        `warning: the password travels to ${env.baseUrl} unencrypted (EVO_VOICE_ALLOW_INSECURE_HTTP).`,
      );
    }
    const client = createEvoVoiceClient({
      baseUrl: env.baseUrl,
      userAgent,
      allowInsecureHttp: env.allowInsecureHttp,
      auth: { type: "credentials", userName: env.userName, password: env.password },
    });
    return {
      client,
      sandbox: undefined,
      source: `${env.baseUrl} as ${env.userName}`,
      close: async () => {},
    };
  }
  const sandbox = await startSandbox({ sessions: EMBEDDED_SANDBOX_SESSIONS });
  const user = sandbox.users.find((u) => u.kind === "multi") ?? sandbox.users[0];
  if (user === undefined) {
    await sandbox.close();
    throw new Error("the sandbox has no demo users");
  }
  notice(
    io,
    `SANDBOX: EVO_VOICE_USERNAME/EVO_VOICE_PASSWORD are not set, so these are GENERATED DEMO sessions from an embedded sandbox (${sandbox.url}, user "${user.userName}"). Set both to read Evo Voice.`,
  );
  const client = createEvoVoiceClient({
    baseUrl: sandbox.url,
    userAgent,
    auth: { type: "credentials", userName: user.userName, password: user.password },
  });
  return { client, sandbox, source: `the embedded sandbox`, close: () => sandbox.close() };
}
