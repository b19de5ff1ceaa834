import type { DemoUser, Sandbox, SandboxOptions } from "@evo-sessions/sandbox";

/** A sandbox started inside the extension host, and the demo user the view signs in as. */
export interface InProcessSandbox {
  sandbox: Sandbox;
  user: DemoUser;
}

/**
 * Starts the sandbox in this process. The import is resolved at run time: the extension's build
 * turns `@evo-sessions/sandbox` into `./sandbox.js`, a separate bundle that is loaded only here,
 * so people who never try the sandbox never load it.
 */
export async function startInProcessSandbox(
  options: SandboxOptions = {},
): Promise<InProcessSandbox> {
  const { startSandbox } = await import("@evo-sessions/sandbox");
  const sandbox = await startSandbox({ port: 0, live: true, ...options });
  // The user who reaches several accounts shows what the account filter is for.
  const user = sandbox.users.find((candidate) => candidate.kind === "multi") ?? sandbox.users[0];
  if (user === undefined) {
    await sandbox.close();
    throw new Error("The sandbox started without demo users; rebuild the extension.");
  }
  return { sandbox, user };
}

/**
 * The sandbox's fixed demo users (`<name>` / `<name>-password`), offered when connecting to a
 * sandbox by URL, such as the one the quickstart prints. Kept here rather than imported so the
 * main bundle does not pull the sandbox in.
 */
export const SANDBOX_DEMO_USERS = [
  { userName: "msp", password: "msp-password", description: "an MSP reaching several accounts" },
  { userName: "demo", password: "demo-password", description: "one account" },
  { userName: "admin", password: "admin-password", description: "administrator: every account" },
] as const;
