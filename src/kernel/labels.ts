// DNS label cleaning exactly as mesos-dns does it (records/labels; facts in
// ../shared/reference/dns.md §1.1, 100 cases in conformance/mesos-dns/expected.json `labels`).
//  - per character: A-Z → lower case; a-z and 0-9 kept; '-', '.', '_' → '-'; anything else dropped;
//  - leading characters of a "strip set" are removed ('-' for RFC 1123; '-' and digits for RFC 952);
//  - the result is cut to the maximum length (63 / 24); trailing '-' are removed, and when that made
//    the cut shorter the label is refilled from what followed the cut (its leading '-' removed),
//    repeating the same rule, up to the maximum.
// DomainFrag applies a label function to each '.'-separated part and drops empty parts.
// Pure.

/** A label cleaning function (RFC 1123 or RFC 952 flavour). */
export type LabelSpec = (name: string) => string;

export const RFC1123_MAX = 63;
export const RFC952_MAX = 24;

/** Map every character: upper → lower, [-._] → '-', other non-alphanumerics dropped. */
function mapChars(name: string): string {
  let out = '';
  for (const ch of name) {
    if (ch >= 'a' && ch <= 'z') out += ch;
    else if (ch >= '0' && ch <= '9') out += ch;
    else if (ch >= 'A' && ch <= 'Z') out += ch.toLowerCase();
    else if (ch === '-' || ch === '.' || ch === '_') out += '-';
  }
  return out;
}

function stripLeft(s: string, set: string): string {
  let i = 0;
  while (i < s.length && set.includes(s[i]!)) i++;
  return s.slice(i);
}

function stripRightDashes(s: string): string {
  let j = s.length;
  while (j > 0 && s[j - 1] === '-') j--;
  return s.slice(0, j);
}

/** Fit `s` (which does not start with '-') into `max` characters with no trailing '-'. */
function fit(s: string, max: number): string {
  if (max <= 0 || s === '') return '';
  if (s.length <= max) return stripRightDashes(s);
  const head = stripRightDashes(s.slice(0, max));
  if (head.length === max) return head;
  return head + fit(stripLeft(s.slice(max), '-'), max - head.length);
}

function cleaner(max: number, leftStrip: string): LabelSpec {
  return (name: string) => fit(stripLeft(mapChars(name), leftStrip), max);
}

/** RFC 1123 label: `[0-9a-z-]`, no leading or trailing '-', at most 63 characters. */
export const rfc1123Label: LabelSpec = cleaner(RFC1123_MAX, '-');

/** RFC 952 label: like RFC 1123 but at most 24 characters and no leading digit. */
export const rfc952Label: LabelSpec = cleaner(RFC952_MAX, '-0123456789');

/** The label function mesos-dns uses for config `EnforceRFC952` (default false → RFC 1123). */
export function labelSpec(enforceRFC952: boolean): LabelSpec {
  return enforceRFC952 ? rfc952Label : rfc1123Label;
}

/** Clean each '.'-separated part of `name` with `spec`, drop empty parts, join with '.'. */
export function domainFrag(name: string, spec: LabelSpec = rfc1123Label): string {
  return name
    .split('.')
    .map(spec)
    .filter((p) => p !== '')
    .join('.');
}
