/**
 * What in a comment could identify its writer, flagged in the browser before sending (nothing is
 * sent to check it): e-mail addresses, phone numbers, and names this browser knows (the writer's
 * own, and the names on the team's roster, GET /api/teams/:teamId/roster-names). Each word of a
 * name (three letters or more) is matched as a whole word, in any case. Advice only — the writer
 * decides.
 */
export interface CommentWarning {
  kind: 'email' | 'phone' | 'name';
  text: string;
}

const EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/gi;
/** Seven or more digits, with the usual separators (+, spaces, dots, dashes, parentheses). */
const PHONE = /\+?\(?\d[\d\s().-]{5,}\d/g;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function commentWarnings(text: string, knownNames: readonly string[]): CommentWarning[] {
  const out: CommentWarning[] = [];
  for (const m of text.match(EMAIL) ?? []) out.push({ kind: 'email', text: m });
  for (const m of text.match(PHONE) ?? []) {
    if (m.replace(/\D/g, '').length >= 7) out.push({ kind: 'phone', text: m.trim() });
  }
  const words = new Set(
    knownNames.flatMap((n) => n.split(/\s+/)).filter((w) => w.length >= 3 && !/@/.test(w)),
  );
  for (const w of words) {
    if (new RegExp(`(^|[^\\p{L}])${escape(w)}($|[^\\p{L}])`, 'iu').test(text))
      out.push({ kind: 'name', text: w });
  }
  return out;
}
