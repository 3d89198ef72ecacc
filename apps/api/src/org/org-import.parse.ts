import { parse } from 'csv-parse/sync';
import type { ImportIssue, MembershipRole } from '@candor/contracts';
import { textProblem } from '../common/hostile-input';

/**
 * CSV parsing and row checks for the people import. Pure: no database. The file is an HR
 * export with one row per person × team: email, name, team, role (member|lead, blank =
 * member) and group path (`Acme/Product/Payments`, root first).
 */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;
const MAX_NAME = 200;
const MAX_DEPTH = 20;

export type ImportColumn = 'email' | 'name' | 'team' | 'role' | 'group';
const REQUIRED: ImportColumn[] = ['email', 'name', 'team', 'group'];
const ALIASES: Record<string, ImportColumn> = {
  email: 'email',
  'e-mail': 'email',
  email_address: 'email',
  'email address': 'email',
  name: 'name',
  'full name': 'name',
  full_name: 'name',
  team: 'team',
  'team name': 'team',
  role: 'role',
  group: 'group',
  'group path': 'group',
  group_path: 'group',
  grouppath: 'group',
  path: 'group',
};

export interface ImportRow {
  line: number;
  email: string;
  name: string;
  team: string;
  role: MembershipRole;
  /** Group names, root first. */
  path: string[];
}

export interface ParsedImport {
  rows: ImportRow[];
  errors: ImportIssue[];
  /** Rows read, including rejected ones. */
  total: number;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

const issue = (
  line: number | null,
  column: string | null,
  code: ImportIssue['code'],
  message: string,
): ImportIssue => ({
  line,
  column,
  code,
  message,
});

/** The file must be UTF-8: otherwise say on which line the first bad byte is. */
export function decodeUtf8(buffer: Buffer): { text: string } | { error: ImportIssue } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
    return { text };
  } catch {
    // Find the first invalid byte to point at it.
    let line = 1;
    let offset = 0;
    while (offset < buffer.length) {
      // Decode line by line to find where it breaks.
      const nl = buffer.indexOf(0x0a, offset);
      const chunkEnd = nl === -1 ? buffer.length : nl + 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(offset, chunkEnd));
      } catch {
        break;
      }
      offset = chunkEnd;
      line++;
    }
    return {
      error: issue(
        line,
        null,
        'not_utf8',
        `The file is not UTF-8 text (first bad byte on line ${line}). Save it as "CSV UTF-8" and upload it again.`,
      ),
    };
  }
}

/** `Acme / Product /Payments` → ['Acme', 'Product', 'Payments'] */
export function splitPath(raw: string): string[] | string {
  const parts = raw.split('/').map((p) => p.trim());
  if (parts.some((p) => p === '')) return 'has an empty part (check for "//" or a leading or trailing "/")';
  if (parts.length > MAX_DEPTH) return `is deeper than ${MAX_DEPTH} levels`;
  if (parts.some((p) => p.length > MAX_NAME)) return `has a part longer than ${MAX_NAME} characters`;
  return parts;
}

export function parseImport(text: string): ParsedImport {
  const errors: ImportIssue[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      max_record_size: 64 * 1024,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    const line = typeof e.lines === 'number' ? e.lines : null;
    return {
      rows: [],
      total: 0,
      errors: [
        issue(
          line,
          null,
          'malformed_row',
          `The file is not valid CSV${line ? ` near line ${line}` : ''}: check for an unclosed quote (")`,
        ),
      ],
    };
  }
  if (records.length === 0) {
    return {
      rows: [],
      total: 0,
      errors: [issue(null, null, 'empty_file', 'The file is empty: expected a header row')],
    };
  }
  if (records.length - 1 > MAX_IMPORT_ROWS) {
    return {
      rows: [],
      total: records.length - 1,
      errors: [
        issue(null, null, 'too_many_rows', `The file has more than ${MAX_IMPORT_ROWS} rows; split it`),
      ],
    };
  }

  // Header
  const header = records[0]!.record;
  const index = new Map<ImportColumn, number>();
  header.forEach((raw, i) => {
    const key = ALIASES[raw.trim().toLowerCase()];
    if (!key) {
      errors.push(
        issue(
          1,
          raw,
          'unknown_column',
          `Unknown column "${raw.slice(0, 60)}": expected email, name, team, role, group`,
        ),
      );
    } else if (index.has(key)) {
      errors.push(issue(1, raw, 'duplicate_column', `Column "${key}" appears twice`));
    } else index.set(key, i);
  });
  for (const col of REQUIRED) {
    if (!index.has(col))
      errors.push(issue(1, col, 'missing_column', `Column "${col}" is missing from the header`));
  }
  if (errors.length > 0) return { rows: [], total: records.length - 1, errors };

  const rows: ImportRow[] = [];
  const firstSeen = new Map<string, number>(); // email|path|team → line
  const names = new Map<string, { name: string; line: number }>();
  const cell = (r: string[], c: ImportColumn) => (index.has(c) ? (r[index.get(c)!] ?? '') : '');

  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const before = errors.length;
    if (record.length !== header.length) {
      errors.push(
        issue(line, null, 'malformed_row', `Has ${record.length} values, the header has ${header.length}`),
      );
      continue;
    }
    // NUL and other control characters cannot be stored (hostile-input.ts has the same rule for JSON).
    const broken = record.findIndex((value) => textProblem(value) !== null);
    if (broken !== -1) {
      errors.push(
        issue(
          line,
          header[broken] ?? null,
          'malformed_row',
          `"${header[broken] ?? ''}" ${textProblem(record[broken]!)}`,
        ),
      );
      continue;
    }
    const email = cell(record, 'email').toLowerCase();
    const name = cell(record, 'name');
    const team = cell(record, 'team');
    const roleRaw = cell(record, 'role').toLowerCase();
    const groupRaw = cell(record, 'group');

    if (email === '') errors.push(issue(line, 'email', 'missing_value', 'Email is empty'));
    else if (email.length > 254 || !EMAIL.test(email))
      errors.push(issue(line, 'email', 'bad_email', `"${email.slice(0, 80)}" is not an email address`));
    if (name === '') errors.push(issue(line, 'name', 'missing_value', 'Name is empty'));
    else if (name.length > MAX_NAME)
      errors.push(issue(line, 'name', 'too_long', `Name is longer than ${MAX_NAME} characters`));
    if (team === '') errors.push(issue(line, 'team', 'missing_value', 'Team is empty'));
    else if (team.length > MAX_NAME)
      errors.push(issue(line, 'team', 'too_long', `Team is longer than ${MAX_NAME} characters`));
    let role: MembershipRole = 'member';
    if (roleRaw === 'lead' || roleRaw === 'member') role = roleRaw;
    else if (roleRaw !== '')
      errors.push(
        issue(
          line,
          'role',
          'unknown_role',
          `Role "${roleRaw.slice(0, 40)}" is not member or lead (blank means member)`,
        ),
      );
    let path: string[] = [];
    if (groupRaw === '') errors.push(issue(line, 'group', 'missing_value', 'Group path is empty'));
    else {
      const split = splitPath(groupRaw);
      if (typeof split === 'string')
        errors.push(issue(line, 'group', 'bad_group_path', `Group path ${split}`));
      else path = split;
    }
    if (errors.length > before) continue;

    const key = `${email}\u0000${path.map((p) => p.toLowerCase()).join('/')}\u0000${team.toLowerCase()}`;
    const dup = firstSeen.get(key);
    if (dup !== undefined) {
      errors.push(issue(line, 'email', 'duplicate_row', `${email} is already in ${team} on line ${dup}`));
      continue;
    }
    firstSeen.set(key, line);
    const known = names.get(email);
    if (known && known.name !== name) {
      errors.push(
        issue(
          line,
          'name',
          'conflicting_name',
          `${email} is "${known.name}" on line ${known.line} and "${name}" here`,
        ),
      );
      continue;
    }
    if (!known) names.set(email, { name, line });
    rows.push({ line, email, name, team, role, path });
  }

  errors.push(...findCycles(rows));
  return { rows, total: records.length - 1, errors };
}

/**
 * Group paths must describe a tree. Names are compared case-insensitively: a path that repeats a
 * name (`Acme/Product/Acme`), or two paths that put the same names in opposite orders
 * (`Acme/Product` and `Product/Acme`), describe a cycle — almost always a mistake in the export.
 */
export function findCycles(rows: ImportRow[]): ImportIssue[] {
  const errors: ImportIssue[] = [];
  const edges = new Map<string, Set<string>>();
  const bad = new Set<ImportRow>();
  for (const row of rows) {
    const lower = row.path.map((p) => p.toLowerCase());
    const seen = new Set<string>();
    for (const p of lower) {
      if (seen.has(p)) {
        errors.push(
          issue(row.line, 'group', 'group_path_cycle', `Group path repeats "${p}", which would make a cycle`),
        );
        bad.add(row);
        break;
      }
      seen.add(p);
    }
    for (let i = 1; i < lower.length; i++) {
      const set = edges.get(lower[i - 1]!) ?? new Set<string>();
      set.add(lower[i]!);
      edges.set(lower[i - 1]!, set);
    }
  }
  // Tarjan's strongly connected components, iteratively: any component of 2+ names is a cycle.
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const inCycle = new Set<string>();
  let counter = 0;
  for (const start of edges.keys()) {
    if (indexOf.has(start)) continue;
    const work: { node: string; it: Iterator<string> }[] = [];
    const visit = (node: string) => {
      indexOf.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, it: (edges.get(node) ?? new Set<string>()).values() });
    };
    visit(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const next = top.it.next();
      if (!next.done) {
        const w = next.value;
        if (!indexOf.has(w)) visit(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, indexOf.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === indexOf.get(top.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== top.node);
        if (component.length > 1) component.forEach((c) => inCycle.add(c));
      }
    }
  }
  if (inCycle.size > 0) {
    for (const row of rows) {
      if (bad.has(row)) continue;
      const lower = row.path.map((p) => p.toLowerCase());
      for (let i = 1; i < lower.length; i++) {
        if (inCycle.has(lower[i - 1]!) && inCycle.has(lower[i]!)) {
          errors.push(
            issue(
              row.line,
              'group',
              'group_path_cycle',
              `Group path "${row.path.join('/')}" puts "${row.path[i]}" under "${row.path[i - 1]}", but another row puts them the other way round (a cycle)`,
            ),
          );
          break;
        }
      }
    }
  }
  return errors;
}
