// The package's public API, checked for accidental changes. The snapshots list every name
// `@evo-sessions/core` exports (runtime values, and types that exist only for TypeScript);
// the type assertions pin the signatures integrators build on. A failing test here means the
// published API changed: if that is meant, update the snapshot (`vitest run -u`) and add a
// changeset (`pnpm changeset`: minor for an addition, major for a removal or a changed
// signature).
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as core from "../src/index.js";
import type {
  Decoded,
  EvoVoiceClient,
  EvoVoiceClientOptions,
  EvoVoiceErrorCode,
  ListResponse,
  SessionInfo,
  SessionQueryInput,
} from "../src/index.js";

const indexFile = fileURLToPath(new URL("../src/index.ts", import.meta.url));

/** Every name src/index.ts exports, with whether it exists at run time, read by the compiler. */
function declaredExports(): { name: string; value: boolean }[] {
  const program = ts.createProgram([indexFile], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(indexFile);
  const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`the compiler could not read ${indexFile}`);
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return { name: symbol.getName(), value: (target.flags & ts.SymbolFlags.Value) !== 0 };
  });
}

describe("@evo-sessions/core public API", () => {
  it("exports these runtime values (name: typeof)", () => {
    const names = Object.keys(core).sort();
    expect(
      names.map((name) => `${name}: ${typeof core[name as keyof typeof core]}`),
    ).toMatchSnapshot();
  });

  it("exports these types (type-only names)", () => {
    const declared = declaredExports();
    // The compiler and the runtime agree on the values: nothing is declared and missing.
    expect(
      declared
        .filter((entry) => entry.value)
        .map((entry) => entry.name)
        .sort(),
    ).toEqual(Object.keys(core).sort());
    expect(
      declared
        .filter((entry) => !entry.value)
        .map((entry) => entry.name)
        .sort(),
    ).toMatchSnapshot();
  }, 60_000);

  it("keeps the signatures integrators build on", () => {
    expectTypeOf(core.createEvoVoiceClient).parameters.toEqualTypeOf<
      [options?: EvoVoiceClientOptions]
    >();
    expectTypeOf(core.createEvoVoiceClient).returns.toEqualTypeOf<EvoVoiceClient>();
    expectTypeOf<EvoVoiceClient["listSessions"]>()
      .parameter(0)
      .toEqualTypeOf<SessionQueryInput | undefined>();
    expectTypeOf<EvoVoiceClient["getSession"]>().returns.toEqualTypeOf<Promise<SessionInfo>>();
    expectTypeOf<EvoVoiceClient["iterateSessions"]>().returns.toEqualTypeOf<
      AsyncIterableIterator<SessionInfo>
    >();
    expectTypeOf(core.SessionQuery.create).returns.toEqualTypeOf<core.SessionQuery>();
    expectTypeOf<core.SessionQuery>().toExtend<SessionQueryInput>();
    expectTypeOf(core.decodeSessionList).returns.toEqualTypeOf<
      Decoded<ListResponse<SessionInfo>>
    >();
    expectTypeOf(core.parseEvoDate).toEqualTypeOf<(value: unknown) => Date | undefined>();
    expectTypeOf(core.isEvoVoiceError).guards.toEqualTypeOf<core.EvoVoiceError>();
    expectTypeOf<core.EvoVoiceError["code"]>().toEqualTypeOf<EvoVoiceErrorCode>();
    expectTypeOf<EvoVoiceErrorCode>().toEqualTypeOf<
      | "invalid_query"
      | "invalid_option"
      | "not_signed_in"
      | "sign_in_failed"
      | "permission_denied"
      | "not_found"
      | "rate_limited"
      | "invalid_request"
      | "server_error"
      | "timeout"
      | "connection_failed"
      | "redirect_refused"
      | "undecodable_response"
      | "aborted"
      | "paging_stalled"
      | "name_not_found"
      | "name_ambiguous"
    >();
  });
});
