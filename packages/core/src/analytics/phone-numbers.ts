/**
 * Phone numbers as one key however they were written (`(555) 680-1840`, `15556801840`,
 * `+1 555 680 1840` are one caller): E.164 through libphonenumber-js (its "min" metadata, the
 * smallest that parses every country). A number it cannot parse keeps its digits (a short code,
 * an extension); an address without digits (a chat client, `anonymous`) is no number at all.
 */
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";

export type { CountryCode };

/** The country numbers without a `+` are read in, unless told otherwise. */
export const DEFAULT_COUNTRY: CountryCode = "US";

/** The E.164 form of a phone number (or its digits), undefined for an address that is not one. */
export function normalisePhoneNumber(
  text: string | undefined,
  country: CountryCode = DEFAULT_COUNTRY,
): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!/\d/.test(trimmed) || /^(client|sip):/i.test(trimmed)) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, country);
  if (parsed !== undefined) return parsed.number;
  const digits = trimmed.replace(/\D/g, "");
  return digits.length > 0 ? digits : undefined;
}
