// Matching TickPick games to schedule games. The two sources spell some teams differently
// ("Sam Houston Bearkats" / "Sam Houston State Bearkats", "Charlotte 49ers" / "Charlotte",
// "Uconn" / "UConn") and list neutral-site games with home and away swapped.

const DAY_MS = 24 * 60 * 60 * 1000;

/** Lower-cases a team name and drops bracketed parts, punctuation and the word "state". */
export function normaliseTeam(name: string): string {
  return name
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9& ]/g, ' ')
    .split(/\s+/)
    .filter((word) => word !== '' && word !== 'state')
    .join(' ');
}

/** Returns true when two normalised team names are equal or one is a prefix of the other. */
export function teamsMatch(a: string, b: string): boolean {
  return a === b || a.startsWith(b) || b.startsWith(a);
}

export interface ScheduledGame {
  externalId: string;
  startsAtMs: number;
  home: string; // normalised
  away: string; // normalised
}

/** Indexes schedule games by UTC calendar day so a lookup checks only a few games. */
export class GameFinder {
  private readonly byDay = new Map<number, ScheduledGame[]>();

  constructor(games: ScheduledGame[]) {
    for (const game of games) {
      const day = Math.floor(game.startsAtMs / DAY_MS);
      const list = this.byDay.get(day) ?? [];
      list.push(game);
      this.byDay.set(day, list);
    }
  }

  /**
   * Finds the schedule game between two teams on a local calendar date. A game's UTC day is
   * its local date or the day after (evening kick-offs), and the two sources disagree by a
   * day for some games, so UTC days from one before to two after the local date are searched.
   * Exact name matches win over prefix matches; an ambiguous or empty result is undefined.
   */
  find(homeTeam: string, awayTeam: string, localDateMs: number): ScheduledGame | undefined {
    const home = normaliseTeam(homeTeam);
    const away = normaliseTeam(awayTeam);
    const day = Math.floor(localDateMs / DAY_MS);
    const candidates: ScheduledGame[] = [];
    for (const offset of [-1, 0, 1, 2]) {
      candidates.push(...(this.byDay.get(day + offset) ?? []));
    }

    const exact = candidates.filter(
      (game) =>
        (game.home === home && game.away === away) || (game.home === away && game.away === home),
    );
    if (exact.length === 1) return exact[0];

    const loose = candidates.filter(
      (game) =>
        (teamsMatch(game.home, home) && teamsMatch(game.away, away)) ||
        (teamsMatch(game.home, away) && teamsMatch(game.away, home)),
    );

    return loose.length === 1 ? loose[0] : undefined;
  }
}
