// Runs the sandbox on its own thread for the benchmarks (started by run.ts), so its CPU time
// and heap are not counted as the client's. Plain JavaScript: Node 20 workers do not pick up
// tsx's loader, which is fine: the sandbox is a devDependency and resolves to its build.
import { parentPort, workerData } from "node:worker_threads";
import { startSandbox } from "@evo-sessions/sandbox";

const sandbox = await startSandbox(workerData);
let latencyFault;
parentPort.postMessage({ url: sandbox.url, users: sandbox.users });
parentPort.on("message", async (command) => {
  if (command.type === "latency") {
    if (latencyFault !== undefined) sandbox.faults.remove(latencyFault);
    latencyFault =
      command.ms > 0
        ? sandbox.faults.inject({ route: "sessions", fault: { type: "latency", ms: command.ms } })
        : undefined;
    parentPort.postMessage({ done: command.type });
  } else if (command.type === "close") {
    await sandbox.close();
    parentPort.postMessage({ done: command.type });
    parentPort.close();
  }
});
