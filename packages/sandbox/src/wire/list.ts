// Reading list parameters of a query string the way ServiceStack binds `List<string>`
// (API-NOTES, "Wire conventions"): comma-joined, `[a,b]` also parses, and an element that holds
// a comma is CSV-quoted (`"a,b"`, a quote inside doubled). The notes say no more, so where they
// are silent this reader takes the lenient reading of every plausible variant:
// - whitespace around a bare element is dropped (`a, b` = `a,b`); a quoted one keeps it;
// - empty elements are dropped, quoted or not (`a,,b`, `a,""`): an empty id matches nothing;
// - text after a closing quote and before the next comma is kept (`"a"b` = `ab`), spaces
//   there are not;
// - an unclosed quote runs to the end of the text, commas included;
// - a quote inside a bare element is an ordinary character (`a"b` = `a"b`).
// Repeated keys (`ids=a&ids=b`) are the caller's business: see `parseListSessions`.

const QUOTE = '"';
const COMMA = ",";

/** The elements of one list parameter's value. Never throws. */
export function parseWireList(value: string): string[] {
  const body = withoutBrackets(value.trim());
  const elements: string[] = [];
  let start = 0;
  while (start <= body.length) {
    const { element, end } = readElement(body, start);
    if (element !== "") elements.push(element);
    // `end` is the index of the comma that ended the element (or the text's length).
    start = end + 1;
  }
  return elements;
}

/** `[a,b]` is the JSV spelling of the list `a,b`. */
function withoutBrackets(text: string): string {
  return text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
}

function readElement(body: string, start: number): { element: string; end: number } {
  let at = start;
  while (at < body.length && isBlank(body.charAt(at))) at++;
  if (body.charAt(at) !== QUOTE) {
    const comma = body.indexOf(COMMA, start);
    const end = comma === -1 ? body.length : comma;
    return { element: body.slice(start, end).trim(), end };
  }
  return readQuoted(body, at + 1);
}

/** Reads from just after an opening quote up to the comma that follows the closing one. */
function readQuoted(body: string, from: number): { element: string; end: number } {
  let element = "";
  let at = from;
  for (;;) {
    const quote = body.indexOf(QUOTE, at);
    if (quote === -1) return { element: element + body.slice(at), end: body.length };
    element += body.slice(at, quote);
    if (body.charAt(quote + 1) !== QUOTE) {
      at = quote + 1;
      break;
    }
    element += QUOTE;
    at = quote + 2;
  }
  const comma = body.indexOf(COMMA, at);
  const end = comma === -1 ? body.length : comma;
  return { element: element + body.slice(at, end).trim(), end };
}

function isBlank(char: string): boolean {
  return char.trim() === "";
}
