import { describe, expect, it } from 'vitest';

import { GameFinder, normaliseTeam } from './teams.ts';

const saturday = Date.UTC(2025, 10, 8);

function game(externalId: string, startsAt: string, home: string, away: string) {
  return {
    externalId,
    startsAtMs: Date.parse(startsAt),
    home: normaliseTeam(home),
    away: normaliseTeam(away),
  };
}

describe('normaliseTeam', () => {
  it('drops brackets, punctuation, case and "state"', () => {
    expect(normaliseTeam('Miami (OH) RedHawks')).toBe('miami redhawks');
    expect(normaliseTeam('Sam Houston State Bearkats')).toBe('sam houston bearkats');
    expect(normaliseTeam('Uconn Huskies')).toBe(normaliseTeam('UConn Huskies'));
  });
});

describe('GameFinder', () => {
  const finder = new GameFinder([
    // 19:30 Central on Saturday is 00:30 UTC on Sunday.
    game('cfb:1', '2025-11-09T00:30:00Z', 'Alabama Crimson Tide', 'LSU Tigers'),
    game('cfb:2', '2025-11-08T20:00:00Z', 'Charlotte', 'Army West Point Black Knights'),
    game('cfb:3', '2025-11-08T17:00:00Z', 'Georgia Bulldogs', 'Florida Gators'),
  ]);

  it('finds an evening game whose UTC date is the next day', () => {
    expect(finder.find('Alabama Crimson Tide', 'LSU Tigers', saturday)?.externalId).toBe('cfb:1');
  });

  it('finds a game listed with home and away swapped', () => {
    expect(finder.find('Florida Gators', 'Georgia Bulldogs', saturday)?.externalId).toBe('cfb:3');
  });

  it('accepts a longer spelling of a team name', () => {
    const found = finder.find('Charlotte 49ers', 'Army West Point Black Knights', saturday);

    expect(found?.externalId).toBe('cfb:2');
  });

  it('finds nothing a week away', () => {
    const weekLater = saturday + 7 * 24 * 60 * 60 * 1000;

    expect(finder.find('Alabama Crimson Tide', 'LSU Tigers', weekLater)).toBeUndefined();
  });
});
