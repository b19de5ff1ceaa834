import { z } from "zod";
import { openEnumSchema } from "./enums.js";

/**
 * Every DTO is declared once against this interface and built twice: `tolerant` is the
 * model a client decodes with (every field may be missing, null or malformed; unknown enum
 * values are kept), `strict` is the seed's contract to the letter, used to report drift.
 */
export interface FieldKit {
  readonly mode: "tolerant" | "strict";
  string(description?: string): z.ZodType<string | null | undefined>;
  boolean(description?: string): z.ZodType<boolean | null | undefined>;
  int(description?: string): z.ZodType<number | null | undefined>;
  number(description?: string): z.ZodType<number | null | undefined>;
  enumOf<const Known extends readonly [string, ...string[]]>(
    values: Known,
    description?: string,
  ): z.ZodType<Known[number] | (string & {}) | null | undefined>;
  arrayOf<T>(item: z.ZodType<T>, description?: string): z.ZodType<T[] | null | undefined>;
  stringMap(description?: string): z.ZodType<Record<string, string> | null | undefined>;
  object<Shape extends z.ZodRawShape>(shape: Shape): z.ZodObject<Shape>;
  nested<T>(schema: z.ZodType<T>, description?: string): z.ZodType<T | null | undefined>;
}

function describe<T extends z.ZodType>(schema: T, description: string | undefined): T {
  return description === undefined ? schema : schema.describe(description);
}

/** Fields of the client's model: a value of the wrong type reads as missing instead of failing the page. */
export const tolerantFields: FieldKit = {
  mode: "tolerant",
  string: (d) => describe(z.string().nullish().catch(undefined), d),
  boolean: (d) => describe(z.boolean().nullish().catch(undefined), d),
  int: (d) => describe(z.number().int().nullish().catch(undefined), d),
  number: (d) => describe(z.number().nullish().catch(undefined), d),
  enumOf: (values, d) => describe(openEnumSchema(values).nullish().catch(undefined), d),
  // A malformed element becomes an empty object so that its neighbours survive.
  arrayOf: (item, d) =>
    describe(
      z
        .array(item.catch({} as never))
        .nullish()
        .catch(undefined),
      d,
    ) as never,
  stringMap: (d) =>
    describe(z.record(z.string(), z.string().catch("")).nullish().catch(undefined), d),
  // Unknown properties are dropped from the typed value (the strict pass reports them): callers
  // then see only documented fields, and tool output schemas stay exact.
  object: (shape) => z.object(shape),
  nested: (schema, d) => describe(schema.nullish().catch(undefined), d),
};

/** Fields exactly as the seed declares them; anything else is an issue (reported as a warning). */
export const strictFields: FieldKit = {
  mode: "strict",
  string: (d) => describe(z.string().nullish(), d),
  boolean: (d) => describe(z.boolean().nullish(), d),
  int: (d) => describe(z.number().int().nullish(), d),
  number: (d) => describe(z.number().nullish(), d),
  enumOf: (values, d) => describe(z.enum(values).nullish(), d),
  arrayOf: (item, d) => describe(z.array(item).nullish(), d),
  stringMap: (d) => describe(z.record(z.string(), z.string()).nullish(), d),
  object: (shape) => z.strictObject(shape) as unknown as z.ZodObject<typeof shape>,
  nested: (schema, d) => describe(schema.nullish(), d),
};
