export * from "./enums.js";
export * from "./session.js";
export * from "./account.js";
export * from "./list.js";
export * from "./decode.js";
export * from "./dates.js";
