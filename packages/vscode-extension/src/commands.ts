/** Every command the extension contributes, by what it does (IDs match package.json). */
export const COMMANDS = {
  refresh: "evoSessions.refresh",
  filter: "evoSessions.filter",
  clearFilters: "evoSessions.filter.clear",
  filterDateRange: "evoSessions.filter.dateRange",
  filterFrom: "evoSessions.filter.from",
  filterTo: "evoSessions.filter.to",
  filterLog: "evoSessions.filter.log",
  filterAccounts: "evoSessions.filter.accounts",
  filterCustomers: "evoSessions.filter.customers",
  filterEndpoints: "evoSessions.filter.endpoints",
  filterArchive: "evoSessions.filter.archive",
  filterSort: "evoSessions.filter.sort",
  filterMissedOnly: "evoSessions.filter.missedOnly",
  filterMissedOff: "evoSessions.filter.missedOff",
  filterMissed: "evoSessions.filter.missed",
  filterDirection: "evoSessions.filter.direction",
  filterChannel: "evoSessions.filter.channel",
  filterOutcome: "evoSessions.filter.outcome",
  signIn: "evoSessions.signIn",
  signOut: "evoSessions.signOut",
  trySandbox: "evoSessions.trySandbox",
  connectSandbox: "evoSessions.connectSandbox",
  openSession: "evoSessions.openSession",
  copySessionId: "evoSessions.copySessionId",
  copyCallSid: "evoSessions.copyCallSid",
  loadMore: "evoSessions.loadMore",
  retry: "evoSessions.retry",
  groupBy: "evoSessions.groupBy",
  savedSearchSave: "evoSessions.savedSearch.save",
  savedSearchApply: "evoSessions.savedSearch.apply",
  savedSearchRename: "evoSessions.savedSearch.rename",
  savedSearchDelete: "evoSessions.savedSearch.delete",
  savedSearchOpenFile: "evoSessions.savedSearch.openFile",
} as const;

/** The view container (activity bar) ID. */
export const VIEW_CONTAINER_ID = "evoSessions";
/** The Sessions view ID. */
export const SESSIONS_VIEW_ID = "evoSessions.sessions";
/** Context key set once activation has restored the sign-in (gates the welcome content). */
export const READY_CONTEXT_KEY = "evoSessions.ready";

/** Commands that need the tree item they run on: hidden from the Command Palette. */
export const ITEM_ONLY_COMMANDS: readonly string[] = [COMMANDS.retry];

/** Commands that work signed out (everything else is gated on `evoSessions.signedIn`). */
export const SIGNED_OUT_COMMANDS: readonly string[] = [
  COMMANDS.signIn,
  COMMANDS.trySandbox,
  COMMANDS.connectSandbox,
];
