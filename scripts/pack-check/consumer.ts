// An integrator's TypeScript, compiled against the installed @evo-sessions/core by tsc with
// moduleResolution node16 and bundler (skipLibCheck off, so every shipped .d.ts is checked too),
// then run: the types resolve through the package's exports and match what runs.
import {
  createEvoVoiceClient,
  isEvoVoiceError,
  SessionQuery,
  type EvoVoiceClient,
  type SessionInfo,
} from "@evo-sessions/core";
import { startSandbox } from "@evo-sessions/sandbox";

async function newestSessions(client: EvoVoiceClient, count: number): Promise<SessionInfo[]> {
  const page = await client.listSessions(SessionQuery.create().newest().perPage(count));
  return page.items;
}

const sandbox = await startSandbox({ port: 0, sessions: 200, seed: 7 });
try {
  const client = createEvoVoiceClient({
    baseUrl: sandbox.url,
    auth: { type: "credentials", userName: "demo", password: "wrong" },
  });
  try {
    await newestSessions(client, 3);
    throw new Error("a wrong password was accepted");
  } catch (error) {
    if (!isEvoVoiceError(error, "sign_in_failed")) throw error;
    const code: "sign_in_failed" | string = error.code;
    console.log(`TypeScript (${process.argv[2] ?? "?"}): typed error ${code}`);
  }
} finally {
  await sandbox.close();
}
