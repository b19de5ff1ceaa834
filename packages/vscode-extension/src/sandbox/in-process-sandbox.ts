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

/** A demo user offered when connecting to a sandbox by URL, with what it shows. */
export interface SandboxDemoUser {
  userName: string;
  password: string;
  description: string;
}

// What each kind of demo user is for, in the order the picker offers them: the user who reaches
// several accounts first, as it shows what the account filter is for.
const DEMO_USER_KINDS: readonly { kind: DemoUser["kind"]; description: string }[] = [
  { kind: "multi", description: "an MSP reaching several accounts" },
  { kind: "single", description: "one account" },
  { kind: "admin", description: "administrator: every account" },
];

/**
 * The sandbox's demo users, offered when connecting to a sandbox by URL such as the one the
 * quickstart prints. Read from the sandbox itself (its lazily loaded bundle, as "Try the
 * sandbox" loads it), so they are never a copy that drifts from the sandbox's own.
 */
export async function sandboxDemoUsers(): Promise<SandboxDemoUser[]> {
  const { DEMO_USERS } = await import("@evo-sessions/sandbox");
  return DEMO_USER_KINDS.flatMap(({ kind, description }) =>
    DEMO_USERS.filter((user) => user.kind === kind).map((user) => ({
      userName: user.userName,
      password: user.password,
      description,
    })),
  );
}
