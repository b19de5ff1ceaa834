/**
 * Caller-ID names as people write them. Carriers send CNAM in capitals, cut to 15 characters
 * (`AUSTIN TX`, `SMITH JOHN`, `WIRELESS CALLER`); shown beside names people typed, they read as
 * shouting. Only text with no lower-case letter at all is changed: a name someone wrote in
 * mixed case (`McDonald`, `iPhone`) is theirs.
 */

/** Words kept in capitals: US/Canadian state and province codes and common abbreviations. */
const KEEP_UPPER: ReadonlySet<string> = new Set(
  (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ " +
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR " +
    "AB BC MB NB NL NS NT NU ON PE QC SK YT " +
    "LLC LLP INC USA UK DDS MD PC PA II III IV"
  ).split(" "),
);

/**
 * `AUSTIN TX` → `Austin TX`, `SMITH JOHN` → `Smith John`, `O'BRIEN-LEE` → `O'Brien-Lee`; text
 * with any lower-case letter, or without letters, comes back unchanged.
 */
export function callerNameCase(text: string): string {
  if (!/\p{Lu}/u.test(text) || /\p{Ll}/u.test(text)) return text;
  return text.replace(/[\p{L}\p{N}]+/gu, (word, offset: number) => {
    if (KEEP_UPPER.has(word) && offset > 0) return word;
    if (/\d/.test(word)) return word;
    return word.charAt(0) + word.slice(1).toLowerCase();
  });
}
