/**
 * An in-memory stand-in for the Candor API at the network boundary: tests replace `fetch` with
 * `api.fetch` and the real client code runs unchanged against it. It signs tokens with a real
 * RSA key through the blind RSA library (as the server would), verifies signatures on submit,
 * replays receipts, and can drop or hang any request to simulate crashes.
 */
import type {
  ActionItem,
  ActionOwner,
  CreateActionRequest,
  ErrorResponse,
  OpenSurvey,
  SubmitReceipt,
  SubmitResponseRequest,
  TeamTrendResponse,
  UpdateActionRequest,
  UserSummary,
} from '@candor/contracts';
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { base64urlToBytes, bytesToBase64, bytesToBase64url } from '../src/lib/base64';

export const suite = RSABSSA.SHA384.PSS.Randomized();

export interface CycleKeys {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
  publicKeySpki: string;
}

export async function generateCycleKeys(): Promise<CycleKeys> {
  const { publicKey, privateKey } = await RSABSSA.SHA384.generateKey({
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  });
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', publicKey));
  return { publicKey, privateKey, publicKeySpki: bytesToBase64(spki) };
}

/**
 * - `drop-before`: the connection fails before the server sees the request.
 * - `drop-after`: the server handles the request, then the answer is lost.
 * - `hang`: the request never settles (the tab was closed mid-flight).
 */
export type Fault = 'drop-before' | 'drop-after' | 'hang';

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  init: RequestInit;
}

type Handler = (body: unknown, match: RegExpMatchArray) => Promise<[number, unknown]> | [number, unknown];

export function jsonResponse(status: number, body: unknown): Response {
  const text = body === undefined ? '' : JSON.stringify(body);
  // A minimal Response: jsdom has no fetch globals, and the client only reads these members.
  return {
    ok: status >= 200 && status < 300,
    status,
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  } as unknown as Response;
}

export function errorBody(
  statusCode: number,
  message: string,
  fields?: Record<string, string[]>,
): ErrorResponse {
  return { statusCode, error: 'Error', code: `E${statusCode}`, message, ...(fields ? { fields } : {}) };
}

export const demoUser: UserSummary = {
  id: 'user-1',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  isAdmin: false,
  teams: [
    { teamId: 'team-1', teamName: 'Platform', role: 'lead' },
    { teamId: 'team-2', teamName: 'Payments', role: 'member' },
  ],
  directorOf: [],
};

export class FakeCandorApi {
  readonly requests: RecordedRequest[] = [];
  /** Responses stored by the fake server (the count that must never double). */
  readonly responses: SubmitResponseRequest['answers'][] = [];
  signedMessages = 0;
  user: UserSummary | null = demoUser;
  surveys: OpenSurvey[] = [];
  trends: Partial<Record<string, TeamTrendResponse>> = {};
  /** Each team's actions, as the actions API keeps them (create and update change them). */
  actions: Record<string, ActionItem[]> = {};
  /** Who may own a team's actions; by default the demo user. */
  actionOwners: Record<string, ActionOwner[]> = {};
  private actionSeq = 0;
  /** Any other answer, keyed by "METHOD /api/path?query" exactly (200 with this body). */
  readonly fixtures: Record<string, unknown> = {};
  private readonly issued = new Map<string, { blindedMessage: string; signature: string }>();
  private readonly spent = new Map<string, { answers: string; receipt: SubmitReceipt }>();
  private readonly faults: { pattern: RegExp; fault: Fault }[] = [];
  private readonly overrides: { pattern: RegExp; status: number; body: unknown }[] = [];
  private closed = new Set<string>();
  private receiptSeq = 0;

  constructor(private readonly keys: CycleKeys) {}

  /** The next request whose "METHOD /path" matches fails this way. */
  failNext(pattern: RegExp, fault: Fault): void {
    this.faults.push({ pattern, fault });
  }

  /** The next request matching answers with this status and body instead of the normal handler. */
  respondNext(pattern: RegExp, status: number, body: unknown): void {
    this.overrides.push({ pattern, status, body });
  }

  closeCycle(cycleId: string): void {
    this.closed.add(cycleId);
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase();
    const path = String(input);
    const body: unknown = typeof init.body === 'string' ? parseBody(init.body) : undefined;
    this.requests.push({ method, path, body, init });
    const signature = `${method} ${path}`;

    const faultIndex = this.faults.findIndex((f) => f.pattern.test(signature));
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0]!.fault : null;
    if (fault === 'hang') return new Promise<Response>(() => {});
    if (fault === 'drop-before') throw new TypeError('Failed to fetch');

    const overrideIndex = this.overrides.findIndex((o) => o.pattern.test(signature));
    let result: [number, unknown];
    if (overrideIndex >= 0) {
      const override = this.overrides.splice(overrideIndex, 1)[0]!;
      result = [override.status, override.body];
    } else {
      result = await this.route(method, path, body, init);
    }
    if (fault === 'drop-after') throw new TypeError('Failed to fetch');
    return jsonResponse(result[0], result[1]);
  };

  private route(method: string, path: string, body: unknown, init: RequestInit) {
    const routes: [string, RegExp, Handler][] = [
      ['POST', /^\/api\/auth\/login$/, (b) => this.login(b as { email: string; password: string })],
      ['POST', /^\/api\/auth\/logout$/, () => this.logout()],
      [
        'GET',
        /^\/api\/auth\/me$/,
        () => (this.user ? [200, this.user] : [401, errorBody(401, 'Not signed in')]),
      ],
      ['GET', /^\/api\/surveys\/open$/, () => [200, { surveys: this.surveys }]],
      ['POST', /^\/api\/cycles\/([^/]+)\/tokens$/, (b, m) => this.issue(decodeURIComponent(m[1]!), b, init)],
      ['POST', /^\/api\/responses$/, (b) => this.submit(b as SubmitResponseRequest)],
      [
        'GET',
        /^\/api\/teams\/([^/?]+)\/trend\?instrument=([\w-]+)$/,
        (_b, m) => {
          if (!this.user) return [401, errorBody(401, 'Not signed in')];
          const trend = this.trends[`${m[1]}:${m[2]}`];
          return trend ? [200, trend] : [404, errorBody(404, 'No such team')];
        },
      ],
      ['GET', /^\/api\/teams\/([^/?]+)\/actions$/, (_b, m) => [200, { actions: this.actions[m[1]!] ?? [] }]],
      [
        'POST',
        /^\/api\/teams\/([^/?]+)\/actions$/,
        (b, m) => this.createAction(m[1]!, b as CreateActionRequest),
      ],
      [
        'PATCH',
        /^\/api\/teams\/([^/?]+)\/actions\/([^/?]+)$/,
        (b, m) => this.updateAction(m[1]!, m[2]!, b as UpdateActionRequest),
      ],
      ['GET', /^\/api\/teams\/([^/?]+)\/action-owners$/, (_b, m) => [200, { people: this.ownersOf(m[1]!) }]],
    ];
    const fixture = `${method} ${path}`;
    if (fixture in this.fixtures) return [200, this.fixtures[fixture]] as [number, unknown];
    for (const [verb, pattern, handler] of routes) {
      const match = path.match(pattern);
      if (verb === method && match) return handler(body, match);
    }
    return [404, errorBody(404, `No route ${method} ${path}`)] as [number, unknown];
  }

  private ownersOf(teamId: string): ActionOwner[] {
    return this.actionOwners[teamId] ?? [{ id: demoUser.id, name: demoUser.name }];
  }

  private createAction(teamId: string, body: CreateActionRequest): [number, unknown] {
    this.actionSeq += 1;
    const owner = body.ownerId ? this.ownersOf(teamId).find((o) => o.id === body.ownerId) : null;
    if (body.ownerId && !owner) {
      return [
        400,
        errorBody(400, 'Some fields are not valid', {
          ownerId: ['is not an active member or lead of this team'],
        }),
      ];
    }
    const at = `${body.date}T10:00:00.000Z`;
    const action: ActionItem = {
      id: `action-${this.actionSeq}`,
      teamId,
      dimension: body.dimension,
      text: body.text,
      date: body.date,
      createdAt: at,
      playKey: body.playKey ?? null,
      owner: owner ?? null,
      dueDate: body.dueDate ?? null,
      status: body.status ?? 'doing',
      updatedAt: at,
    };
    (this.actions[teamId] ??= []).push(action);
    return [201, action];
  }

  private updateAction(teamId: string, id: string, body: UpdateActionRequest): [number, unknown] {
    const action = this.actions[teamId]?.find((a) => a.id === id);
    if (!action) return [404, errorBody(404, 'Action not found')];
    if (body.status !== undefined) action.status = body.status;
    if (body.dueDate !== undefined) action.dueDate = body.dueDate;
    if (body.ownerId !== undefined)
      action.owner = body.ownerId ? (this.ownersOf(teamId).find((o) => o.id === body.ownerId) ?? null) : null;
    if (body.text !== undefined) action.text = body.text;
    return [200, action];
  }

  /** Accepts the demo user's email with the password `password`. */
  private login({ email, password }: { email: string; password: string }): [number, unknown] {
    if (email !== demoUser.email || password !== 'password') {
      return [401, errorBody(401, 'Wrong email or password.')];
    }
    this.user = demoUser;
    return [200, { accessToken: 'jwt', expiresIn: 3600, user: demoUser }];
  }

  private logout(): [number, unknown] {
    this.user = null;
    return [204, undefined];
  }

  private async issue(cycleId: string, body: unknown, init: RequestInit): Promise<[number, unknown]> {
    if (init.credentials === 'omit' || !this.user) return [401, errorBody(401, 'Not signed in')];
    if (this.closed.has(cycleId)) return [410, errorBody(410, 'Cycle closed')];
    const blindedMessage = (body as { blindedMessage: string }).blindedMessage;
    const key = `${cycleId}:${this.user.id}`;
    const previous = this.issued.get(key);
    if (previous) {
      if (previous.blindedMessage !== blindedMessage) return [409, errorBody(409, 'Token already issued')];
      return [200, { cycleId, blindSignature: previous.signature }];
    }
    const blindSig = await suite.blindSign(this.keys.privateKey, base64urlToBytes(blindedMessage));
    const signature = bytesToBase64url(blindSig);
    this.signedMessages += 1;
    this.issued.set(key, { blindedMessage, signature });
    return [200, { cycleId, blindSignature: signature }];
  }

  private async submit(request: SubmitResponseRequest): Promise<[number, unknown]> {
    if (this.closed.has(request.cycleId)) return [410, errorBody(410, 'Cycle closed')];
    const valid = await suite.verify(
      this.keys.publicKey,
      base64urlToBytes(request.signature),
      base64urlToBytes(request.token),
    );
    if (!valid) return [400, errorBody(400, 'Invalid token', { signature: ['does not verify'] })];
    const answers = JSON.stringify(Object.entries(request.answers).sort());
    const spent = this.spent.get(request.token);
    if (spent) {
      if (spent.answers !== answers) return [409, errorBody(409, 'Token already used with other answers')];
      return [200, { ...spent.receipt, replayed: true }];
    }
    const survey = this.surveys.find((s) => s.cycleId === request.cycleId);
    this.receiptSeq += 1;
    const receipt: SubmitReceipt = {
      receiptId: `receipt-${this.receiptSeq}`,
      cycleId: request.cycleId,
      instrument: request.instrument,
      replayed: false,
      teamId: survey?.teamId ?? 'team-1',
    };
    this.spent.set(request.token, { answers, receipt });
    this.responses.push(request.answers);
    return [201, receipt];
  }
}

export function openSurvey(overrides: Partial<OpenSurvey> & { publicKeySpki: string }): OpenSurvey {
  return {
    cycleId: 'cycle-1',
    teamId: 'team-1',
    teamName: 'Platform',
    instrument: 'psych-safety@1',
    trustSubject: null,
    opensAt: '2025-03-03T09:00:00.000Z',
    closesAt: '2025-03-17T17:00:00.000Z',
    k: 5,
    kComments: 5,
    openQuestion: 'What is one thing that would make it safer to speak up on this team?',
    invited: 9,
    tokenIssued: false,
    ...overrides,
  };
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // e.g. a CSV upload
  }
}
