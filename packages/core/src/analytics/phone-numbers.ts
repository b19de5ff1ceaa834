/**
 * Phone numbers as one key however they were written (`(555) 680-1840`, `15556801840`,
 * `+1 555 680 1840` are one caller): E.164 through libphonenumber-js (its "min" metadata, the
 * smallest that parses every country). A number it cannot parse keeps its digits (a short code,
 * an extension); an address without digits (a chat client, `anonymous`) is no number at all.
 */
import {
  getCountryCallingCode,
  parsePhoneNumberFromString,
  type CountryCode,
} from "libphonenumber-js/min";

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

/** How {@link formatPhoneNumber} writes a number. */
export type PhoneNumberStyle = "national" | "international" | "e164";

/** Options of {@link formatPhoneNumber}. */
export interface FormatPhoneOptions {
  /** The country a number without `+` is read in, and whose numbers are written nationally. */
  country?: CountryCode;
  /**
   * `national`: `(555) 680-1840` for a number of `country`, else the international form (a
   * foreign number written nationally would lose its country); `international`: `+1 555 680
   * 1840`; `e164`: `+15556801840`. Default `national`.
   */
  style?: PhoneNumberStyle;
}

/**
 * A phone number written for people, or the text unchanged when it is not a number
 * libphonenumber-js can read (a short code, `client:ann`, `anonymous`): never a guess.
 */
export function formatPhoneNumber(text: string, options: FormatPhoneOptions = {}): string {
  const trimmed = text.trim();
  if (!/\d/.test(trimmed) || /^(client|sip):/i.test(trimmed)) return text;
  const country = options.country ?? DEFAULT_COUNTRY;
  const parsed = parsePhoneNumberFromString(trimmed, country);
  if (parsed === undefined || !parsed.isPossible()) return text;
  const style = options.style ?? "national";
  if (style === "e164") return parsed.number;
  // By calling code, not country: +1 numbers outside any assigned area (the 555 range, a new
  // overlay) have no country but are still dialled nationally across the NANP.
  const national =
    parsed.country === country || parsed.countryCallingCode === getCountryCallingCode(country);
  if (style === "national" && national) return parsed.formatNational();
  return parsed.formatInternational();
}
