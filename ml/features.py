"""Feature rows for the valuation model, built from the real market data in data/.

The TypeScript server builds the same features from the database
(packages/domain/src/valuation/model/features.ts). Both sides must agree on names, order,
encodings and the section score; feature-spec.json records them and the tests compare the two.
"""

import csv
import math
import os
import re
from datetime import date

# Order matters: it is the column order of the model.
FEATURES = [
    "section_score",
    "days_to_event",
    "platform_views",
    "platform_wants",
    "platform_listings",
    "team_rank",
    "elo_mean",
    "venue_capacity",
    "category",
    "day_of_week",
    "is_rivalry",
]

CATEGORY_CODES = {"SPORTS": 0, "CONCERT": 1, "THEATRE": 2, "FESTIVAL": 3, "OTHER": 4}

# Section score: 1.0 is the best seat in the house, 0.0 the worst. The tier gives the base and a
# known row number lowers it within the tier, since front rows sell dearer.
TIER_BASE = {1: 1.0, 2: 0.6, 3: 0.25}
ROW_PENALTY = 0.15
ROW_SCALE = 40

# The Wells Fargo Center, home of the Philadelphia Flyers, seats 19,543 for hockey (the
# arena's published figure). The StubHub scrape does not state it.
FLYERS_ARENA_CAPACITY = 19543
# The StubHub scrape ran on 2018-03-18 (retrieveTime in the file).
STUBHUB_SCRAPED = date(2018, 3, 18)
# The Vivid Seats scrape is 60 days before a Saturday show in a 65,000-seat stadium
# (data/README.md); the catalogue seed uses the same facts.
CONCERT_DAYS_OUT = 60
CONCERT_CAPACITY = 65000
CONCERT_DAY_OF_WEEK = 6

UPPER_WORDS = re.compile(r"\b(upper|balcony|bleachers?|nosebleed|gallery|grandstand)\b")
MIDDLE_WORDS = re.compile(r"\b(club|mezzanine|loge|dress circle|terrace)\b")
LOWER_WORDS = re.compile(
    r"\b(floor|field|pit|lower|courtside|suite|box|orchestra|stalls|premium)\b"
)
GENERAL_ADMISSION = re.compile(r"\b(ga|general admission)\b")
CLUB_PREFIX = re.compile(r"(^|\s)c\d{2,3}[a-z]?$")
TRAILING_NUMBER = re.compile(r"(\d+)[a-z]?$")
LEADING_NUMBER = re.compile(r"^(\d+)")


def section_tier(section, category):
    """Port of sectionTierOf in packages/db/src/seed/section-tier.ts; keep the two in step."""
    label = section.strip().lower()
    if UPPER_WORDS.search(label):
        return 3
    if MIDDLE_WORDS.search(label):
        return 2
    if LOWER_WORDS.search(label):
        return 1
    if GENERAL_ADMISSION.search(label):
        return 1 if category in ("CONCERT", "FESTIVAL") else 3
    if CLUB_PREFIX.search(label):
        return 2
    match = TRAILING_NUMBER.search(label)
    if match is None:
        return 2
    digits = match.group(1)
    if len(digits) != 3:
        return 1
    level = int(digits[0])
    if level <= 1:
        return 1
    return 2 if level == 2 else 3


def section_score(tier, row):
    """Scores a seat from its tier (1..3) and its row label ("12", "13A"); see TIER_BASE."""
    base = TIER_BASE[tier]
    match = LEADING_NUMBER.match((row or "").strip())
    if match is None:
        return base
    return round(base - ROW_PENALTY * min(int(match.group(1)), ROW_SCALE) / ROW_SCALE, 6)


def parse_day(text):
    """Reads 'M/D/YYYY', 'M/D/YY' or 'YYYY-MM-DD'."""
    text = text.strip()
    if "-" in text:
        return date.fromisoformat(text[:10])
    month, day, year = (int(part) for part in text.split("/"))
    if year < 100:
        year += 2000
    return date(year, month, day)


def number_or_nan(text):
    text = (text or "").strip()
    if text == "" or text.lower() == "nan":
        return math.nan
    return float(text)


def weekday_sunday_first(day):
    # Python's weekday() is Monday=0; JavaScript's getUTCDay() is Sunday=0, the encoding used.
    return (day.weekday() + 1) % 7


def empty_demand():
    # The historical scrapes come from other markets, where platform demand does not exist, so
    # these features are zero in every historical row. Platform rows fill them in.
    return {"platform_views": 0.0, "platform_wants": 0.0, "platform_listings": 0.0}


def read_csv(data_dir, name):
    with open(os.path.join(data_dir, name), newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def schedule_elo(data_dir):
    """Maps (home team, away team, local date) to the mean pre-game Elo of a college game."""
    elo = {}
    for game in read_csv(data_dir, "cfb-2025-schedule.csv"):
        home = number_or_nan(game["homePregameElo"])
        away = number_or_nan(game["awayPregameElo"])
        values = [value for value in (home, away) if not math.isnan(value)]
        mean = sum(values) / len(values) if values else math.nan
        elo[(game["homeTeam"], game["awayTeam"], game["game_date"][:10])] = mean
    return elo


def tickpick_rows(data_dir):
    """One row per game, collection day and price level: lowest, average and highest.

    Like the catalogue seed, the lowest price is filed under tier 3, the average under tier 2
    and the highest under tier 1. Only the last snapshot of each game and day is kept, so that
    repeated scrapes of one day do not outweigh the others.
    """
    elo = schedule_elo(data_dir)
    last_of_day = {}
    for snapshot in read_csv(data_dir, "tickpick-cfb-2025-price-snapshots.csv"):
        collected = parse_day(snapshot["date_collected"])
        key = (snapshot["event_id"], collected)
        stamp = snapshot["time_collected"]
        previous = last_of_day.get(key)
        if previous is None or previous[0] < stamp:
            last_of_day[key] = (stamp, snapshot, collected)

    rows = []
    for _, snapshot, collected in sorted(last_of_day.values(), key=lambda item: item[0]):
        game_day = parse_day(snapshot["date_local"])
        ranks = [number_or_nan(snapshot["homeTeamRank"]), number_or_nan(snapshot["awayTeamRank"])]
        ranks = [rank for rank in ranks if not math.isnan(rank)]
        common = {
            "days_to_event": float(snapshot["days_until_game"] or (game_day - collected).days),
            "team_rank": min(ranks) if ranks else math.nan,
            "elo_mean": elo.get(
                (snapshot["homeTeam"], snapshot["awayTeam"], game_day.isoformat()), math.nan
            ),
            "venue_capacity": number_or_nan(snapshot["capacity"]),
            "category": CATEGORY_CODES["SPORTS"],
            "day_of_week": weekday_sunday_first(game_day),
            "is_rivalry": 1.0 if snapshot["isRivalry"] == "True" else 0.0,
            **empty_demand(),
        }
        for tier, column in ((3, "lowest_price"), (2, "average_price"), (1, "highest_price")):
            price = number_or_nan(snapshot[column])
            if math.isnan(price) or price <= 0:
                continue
            rows.append({
                **common,
                "section_score": section_score(tier, None),
                "tier": tier,
                "price": price,
                "event_day": game_day,
                "event_key": f"tickpick:{snapshot['event_id']}",
                "source": "tickpick",
            })
    return rows


def stubhub_rows(data_dir):
    """One row per StubHub listing of the five Flyers home games, priced as the buyer pays."""
    rows = []
    for listing in read_csv(data_dir, "stubhub-flyers-2018-listings.csv"):
        price = number_or_nan(listing["currentPrice"])
        if math.isnan(price) or price <= 0:
            continue
        game_day = parse_day(listing["Date"])
        tier = section_tier(listing["sectionName"], "SPORTS")
        rows.append({
            "section_score": section_score(tier, listing["row"]),
            "days_to_event": float((game_day - STUBHUB_SCRAPED).days),
            "team_rank": math.nan,
            "elo_mean": math.nan,
            "venue_capacity": float(FLYERS_ARENA_CAPACITY),
            "category": CATEGORY_CODES["SPORTS"],
            "day_of_week": weekday_sunday_first(game_day),
            "is_rivalry": 0.0,
            **empty_demand(),
            "tier": tier,
            "price": price,
            "event_day": game_day,
            "event_key": f"stubhub:{listing['Event']}",
            "source": "stubhub",
        })
    return rows


def vividseats_rows(data_dir):
    """One row per Vivid Seats listing of the stadium concert, all-in price per ticket."""
    rows = []
    for listing in read_csv(data_dir, "vividseats-concert-listings.csv"):
        price = number_or_nan(listing["all_in_price_per_ticket"])
        if math.isnan(price) or price <= 0:
            continue
        tier = section_tier(listing["section"], "CONCERT")
        rows.append({
            "section_score": section_score(tier, listing["row"]),
            "days_to_event": float(CONCERT_DAYS_OUT),
            "team_rank": math.nan,
            "elo_mean": math.nan,
            "venue_capacity": float(CONCERT_CAPACITY),
            "category": CATEGORY_CODES["CONCERT"],
            "day_of_week": CONCERT_DAY_OF_WEEK,
            "is_rivalry": 0.0,
            **empty_demand(),
            "tier": tier,
            "price": price,
            "event_day": None,
            "event_key": "vividseats:stadium-pop",
            "source": "vividseats",
        })
    return rows


def feature_vector(row):
    return [float(row[name]) for name in FEATURES]
