"""Training rows from the platform's own completed trades, read with psql when DATABASE_URL is set.

A completed swap is a price both traders accepted, so each traded ticket becomes one row at
its value when the trade was created. Open listings are left out: their values come from this
model, and training on them would teach the model its own guesses.
"""

import csv
import io
import math
import shutil
import subprocess
from datetime import date

from features import CATEGORY_CODES, section_score, section_tier

QUERY = """
SELECT t.section, t.row, t."sectionTier", t."valueMinor", e.category, e."startsAt",
       e."homeRank", e."awayRank", e."homeElo", e."awayElo", e."isRivalry", v.capacity,
       EXTRACT(DOW FROM e."startsAt" AT TIME ZONE v.timezone) AS dow,
       EXTRACT(EPOCH FROM (e."startsAt" - tr."createdAt")) / 86400 AS days,
       (SELECT count(*) FROM "EventView" ev WHERE ev."eventId" = e.id
          AND ev."viewedAt" > tr."createdAt" - interval '7 days'
          AND ev."viewedAt" <= tr."createdAt") AS views,
       (SELECT count(*) FROM "Want" w WHERE w."eventId" = e.id
          AND w."createdAt" <= tr."createdAt") AS wants,
       (SELECT count(*) FROM "Ticket" o WHERE o."eventId" = e.id
          AND o."listedAt" <= tr."createdAt") AS listings
FROM "Trade" tr
JOIN "ProposalLeg" l ON l."proposalId" = tr."proposalId"
JOIN "Ticket" t ON t.id = l."ticketId"
JOIN "Event" e ON e.id = t."eventId"
JOIN "Venue" v ON v.id = e."venueId"
WHERE tr.state = 'COMPLETED' AND t."valueMinor" > 0
"""


def number(text):
    return math.nan if text in ("", None) else float(text)


def platform_rows(database_url):
    # NOTE: not yet run against a database with completed trades; the model in ml/model was
    # trained without DATABASE_URL, on the market data alone.
    if not database_url:
        return []
    if shutil.which("psql") is None:
        raise SystemExit("DATABASE_URL is set but psql is not installed; unset it or add psql")
    output = subprocess.run(
        ["psql", database_url, "--no-psqlrc", "--csv", "-c", QUERY],
        check=True, capture_output=True, text=True,
    ).stdout
    rows = []
    for record in csv.DictReader(io.StringIO(output)):
        category = record["category"]
        tier = int(record["sectionTier"]) if record["sectionTier"] else section_tier(
            record["section"] or "", category
        )
        ranks = [r for r in (number(record["homeRank"]), number(record["awayRank"]))
                 if not math.isnan(r)]
        elos = [e for e in (number(record["homeElo"]), number(record["awayElo"]))
                if not math.isnan(e)]
        rows.append({
            "section_score": section_score(tier, record["row"]),
            "days_to_event": max(0.0, float(int(number(record["days"])))),
            "platform_views": number(record["views"]),
            "platform_wants": number(record["wants"]),
            "platform_listings": number(record["listings"]),
            "team_rank": min(ranks) if ranks else math.nan,
            "elo_mean": sum(elos) / len(elos) if elos else math.nan,
            "venue_capacity": number(record["capacity"]),
            "category": CATEGORY_CODES[category],
            "day_of_week": int(number(record["dow"])),
            "is_rivalry": 1.0 if record["isRivalry"] == "t" else 0.0,
            "tier": tier,
            "price": number(record["valueMinor"]) / 100,
            "event_day": date.fromisoformat(record["startsAt"][:10]),
            "event_key": f"platform:{record['startsAt']}",
            "source": "platform",
        })
    return rows
