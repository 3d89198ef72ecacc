/**
 * The plays: concrete behaviours a team can try to move one dimension, for psychological safety
 * and for each trust component. One versioned catalogue; an action started from a play stores the
 * play's key (`<dimension>/<slug>@<version>`), so a later catalogue never changes what an old
 * action meant. A new wording is a new version; keys of earlier versions stay readable.
 *
 * Written for this project. The behaviours follow the list (Edmondson's leader behaviours
 * for psychological safety; the trust equation's components as Maister, Green and Galford
 * describe them).
 */

export interface Play {
  /** `<dimension>/<slug>@<catalogue version>`: what an action started from this play stores. */
  key: string;
  slug: string;
  /** The dimension the play works on (a response dimension: never the trust index itself). */
  dimension: string;
  /** A short imperative, e.g. "Show your reasoning". */
  title: string;
  /** One or two sentences: the behaviour and why it moves the dimension. */
  summary: string;
  /** Concrete things to try before the next few pulses. */
  steps: readonly string[];
  /** What the team would notice if it works, before the numbers move. */
  signal: string;
}

export const PLAYS_VERSION = 1;

/** The dimensions with plays, in the order pages list them. */
export const PLAY_DIMENSIONS = [
  'psych_safety',
  'credibility',
  'reliability',
  'intimacy',
  'self_orientation',
] as const;

type PlayText = Omit<Play, 'key' | 'dimension'>;

const CATALOGUE_V1: Record<(typeof PLAY_DIMENSIONS)[number], PlayText[]> = {
  psych_safety: [
    {
      slug: 'frame-as-learning',
      title: 'Frame the work as learning',
      summary:
        'Say out loud what is uncertain about the work and that you need everyone’s eyes on it. People speak up when the work is presented as a problem to figure out together rather than a plan to execute.',
      steps: [
        'At the next planning meeting, name the two biggest unknowns and ask who sees a risk you have missed.',
        'Call experiments experiments: state what you expect to learn, not only what you will ship.',
        'End design reviews with “What would make this fail?” and write the answers down.',
      ],
      signal: 'Risks and doubts come up in planning, before they turn into incidents.',
    },
    {
      slug: 'own-fallibility',
      title: 'Go first on your own mistakes',
      summary:
        'When the people with the most influence admit what they got wrong or do not know, it becomes normal for everyone else to do the same.',
      steps: [
        'Once a week, share one thing you got wrong and what you changed because of it.',
        'When you do not know, say “I don’t know — who does?” instead of guessing.',
        'Ask for feedback on your own decisions in the team channel, and act on some of it visibly.',
      ],
      signal: 'Others start naming their own misses without being asked.',
    },
    {
      slug: 'curious-questions',
      title: 'Ask, then really listen',
      summary:
        'Open questions, asked with genuine curiosity and followed by silence, invite the views people would otherwise keep to themselves.',
      steps: [
        'Ask open questions such as “What are we missing?” or “What would you do differently?” and wait for the answer.',
        'In reviews, hear the quieter people before the most senior or the loudest.',
        'Summarise what you heard before you respond to it.',
      ],
      signal: 'More people speak in meetings, and disagreement surfaces in the room rather than afterwards.',
    },
    {
      slug: 'respond-to-bad-news',
      title: 'Thank the messenger',
      summary:
        'How the team reacts the first time someone brings bad news decides whether the next person will. A productive response makes speaking up worth it.',
      steps: [
        'When someone raises a problem, thank them before discussing the problem.',
        'Run incident reviews without blame: ask what made the mistake easy to make, not who made it.',
        'Close the loop: tell the person what happened because they spoke up.',
      ],
      signal: 'Problems reach you sooner and smaller.',
    },
  ],
  credibility: [
    {
      slug: 'share-reasoning',
      title: 'Show your reasoning',
      summary:
        'People trust a decision they can follow. Sharing the options, the trade-offs and what tipped the balance makes expertise visible and open to correction.',
      steps: [
        'Write a short note for each significant decision: the options, the trade-offs, and why this one.',
        'In reviews, explain the constraint behind a request, not only the request.',
        'Invite someone to argue the other option before the decision is final.',
      ],
      signal: 'Fewer “why are we doing this?” questions after decisions are announced.',
    },
    {
      slug: 'admit-unknowns',
      title: 'Say what you don’t know',
      summary:
        'Separating what you know from what you are guessing makes everything else you say more believable.',
      steps: [
        'Say how sure you are: “I’m confident about this part, less about that one.”',
        'When a question is outside your depth, say so and point to who knows more.',
        'Come back with the answer you promised to find.',
      ],
      signal: 'People take your estimates and opinions at face value, and challenge the uncertain parts.',
    },
    {
      slug: 'keep-learning',
      title: 'Keep learning in the open',
      summary:
        'Credibility fades when knowledge goes stale. Learning visibly keeps it current and shows the team that not knowing yet is fine.',
      steps: [
        'Share one thing you learned each week: a short write-up, a demo or a link with a sentence on why it matters.',
        'Pair with someone on an area that is new to you.',
        'Ask the team to teach you the parts of the system you know least.',
      ],
      signal: 'The team asks each other for explanations, and knowledge spreads beyond one person.',
    },
    {
      slug: 'real-work',
      title: 'Contribute real work, not only opinions',
      summary:
        'Opinions carry weight when they come from someone who also does the work. Backing views with something concrete earns the right to hold them.',
      steps: [
        'Take on at least one real piece of work or review every sprint.',
        'Back an opinion with a prototype, a measurement or an example rather than more argument.',
        'Offer to do the first step of what you are suggesting.',
      ],
      signal: 'Suggestions are followed up, and discussions end with something tried rather than debated.',
    },
  ],
  reliability: [
    {
      slug: 'keep-commitments',
      title: 'Make fewer, firmer promises',
      summary:
        'Reliability is doing what you said when you said. Fewer, explicit commitments are easier to keep than many vague ones.',
      steps: [
        'Write down each commitment made in a meeting with an owner and a date, where everyone can see it.',
        'Say “no” or “not this week” instead of a soft yes.',
        'Review the list at the start of the next meeting.',
      ],
      signal: 'Commitments on the list are mostly done by their date.',
    },
    {
      slug: 'warn-early',
      title: 'Warn early',
      summary:
        'Slips happen; surprises damage trust. Flagging a risk as soon as you suspect it, with a new date, keeps others able to plan.',
      steps: [
        'Add a standing “anything at risk?” question to stand-up.',
        'When something will slip, say so the day you know, with the new date and what you need.',
        'Thank people who flag a slip early, in front of the team.',
      ],
      signal: 'Slips are announced days ahead, not discovered at the deadline.',
    },
    {
      slug: 'consistent-standards',
      title: 'Keep standards the same for everyone',
      summary:
        'People rely on what is predictable. Agreed standards, applied the same way to everyone’s work (the lead’s included), make quality predictable.',
      steps: [
        'Agree together what “done” means and what a review checks, and write it down.',
        'Apply it to your own work first and ask to be held to it.',
        'When you make an exception, say why, out loud.',
      ],
      signal: 'Reviews argue less about what is expected, and rework after “done” falls.',
    },
    {
      slug: 'come-prepared',
      title: 'Come prepared',
      summary:
        'Reading the document before the meeting and bringing what was asked for shows respect for others’ time and makes your word dependable.',
      steps: [
        'Send the agenda and the pre-reads a day before each meeting you run.',
        'Read what was shared before you arrive; if you could not, say so.',
        'Arrive with the one decision or answer the meeting needs from you.',
      ],
      signal: 'Meetings start with the discussion, not with reading the document together.',
    },
  ],
  intimacy: [
    {
      slug: 'honest-talk',
      title: 'Make room for honest talk',
      summary:
        'Intimacy is the sense that it is safe to tell someone how things really are. It grows where candour is invited and received well.',
      steps: [
        'Hold regular one-to-ones and ask “What is getting in your way?” at each.',
        'When someone tells you something uncomfortable, thank them and do not argue on the spot.',
        'Share something of your own situation, not only the status of the work.',
      ],
      signal: 'People bring problems to you before they become complaints elsewhere.',
    },
    {
      slug: 'private-hard-talks',
      title: 'Have hard conversations in private',
      summary:
        'Criticism in front of others teaches everyone that honesty is risky. Hard conversations one to one, and praise in public, keep candour safe.',
      steps: [
        'Give critical feedback one to one, never in a channel or a group meeting.',
        'Give credit and thanks in public.',
        'Before a hard conversation, say what you want for the person, not only what went wrong.',
      ],
      signal: 'Hard conversations end with a plan, and people ask for more feedback.',
    },
    {
      slug: 'keep-confidences',
      title: 'Keep confidences',
      summary:
        'One repeated confidence undoes months of trust. Being clear about what you will and will not pass on lets people talk freely.',
      steps: [
        'Before you share someone’s situation, ask them.',
        'Say at the start what you will have to pass on (for example, anything about safety) and keep to it.',
        'Do not talk about people who are not in the room.',
      ],
      signal: 'People tell you things early, in their own words.',
    },
    {
      slug: 'care-about-growth',
      title: 'Care about each person’s growth',
      summary:
        'People trust those who are clearly on their side. Taking a real interest in what each person wants to learn shows it.',
      steps: [
        'Ask each person what they want to learn this quarter, and write it down.',
        'Find one piece of work for each that stretches them towards it.',
        'Check in on it at every other one-to-one.',
      ],
      signal: 'People talk about their next step with you, not only with their friends.',
    },
  ],
  self_orientation: [
    {
      slug: 'credit-others',
      title: 'Give credit by name',
      summary:
        'Self-orientation is the sense that someone is in it for themselves. Naming who did the work, publicly and specifically, shows the opposite.',
      steps: [
        'In demos and updates, name the people who did the work.',
        'When you are praised for a team result, pass the credit on in the same conversation.',
        'Let the person who did the work present it.',
      ],
      signal: 'People volunteer for visible work because they know it will be credited.',
    },
    {
      slug: 'team-first',
      title: 'Put the team’s goal before your own',
      summary:
        'Choosing work for the team’s outcome rather than for personal visibility is the clearest signal of low self-orientation.',
      steps: [
        'When choosing work, ask “what helps the team most?” before “what is interesting?”.',
        'Take on some of the unglamorous work yourself.',
        'Share the hard problem instead of keeping it for yourself.',
      ],
      signal: 'Unpopular tasks are shared around instead of landing on the same people.',
    },
    {
      slug: 'ask-first',
      title: 'Ask before you assert',
      summary:
        'Leading with questions shows you are interested in the other person’s view, not only in being right.',
      steps: [
        'In a discussion, ask two questions before you give your view.',
        'Before disagreeing, sum up the other person’s point until they agree with your summary.',
        'Let others speak first in decisions where you are the most senior.',
      ],
      signal: 'Discussions feel like solving a problem together rather than winning an argument.',
    },
    {
      slug: 'change-your-mind',
      title: 'Change your mind on evidence',
      summary:
        'Saying what would change your mind — and then changing it when that happens — shows the goal is the right answer, not your answer.',
      steps: [
        'When you take a position, say what evidence would change it.',
        'When that evidence appears, say “I was wrong; let’s do this instead” in the same forum.',
        'Keep a short list of decisions you reversed and why.',
      ],
      signal: 'People bring you evidence rather than avoiding the argument.',
    },
  ],
};

function build(version: number, catalogue: Record<string, PlayText[]>): Play[] {
  return Object.entries(catalogue).flatMap(([dimension, plays]) =>
    plays.map((p) => ({ ...p, dimension, key: `${dimension}/${p.slug}@${version}` })),
  );
}

/** Every catalogue version, so the key stored on an old action still finds its play. */
const CATALOGUES: Record<number, Play[]> = { 1: build(1, CATALOGUE_V1) };

/** The current catalogue's plays. */
export const PLAYS: readonly Play[] = CATALOGUES[PLAYS_VERSION]!;

/** The current plays for a dimension, in catalogue order; none for the trust index (its levers are the components). */
export function playsFor(dimensionId: string): readonly Play[] {
  return PLAYS.filter((p) => p.dimension === dimensionId);
}

/** The play with this key, in any catalogue version; undefined when there is none. */
export function findPlay(key: string): Play | undefined {
  const version = Number(/@(\d+)$/.exec(key)?.[1]);
  return CATALOGUES[version]?.find((p) => p.key === key);
}
