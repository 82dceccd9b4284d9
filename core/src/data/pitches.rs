//! Seeded pitch-by-pitch seasons in Statcast's CSV layout (`gen pitches`) for the pitching use
//! case, with a truth table of the planted "sticky" outings.
//!
//! 30 teams of 13 pitchers (5 starters in rotation, 8 relievers) play a season from April 1 to
//! October 3: 15 games a day, 2,430 games and about 700k pitches at full size (`--games` makes
//! fewer, spread over the same dates). A game is nine innings of three outs per side; a starter
//! pitches until his pitch limit (about 95), relievers about 20 each.
//!
//! Each pitcher has an arsenal of 3-5 pitch types (FF or SI, then SL, CU, CH, FC) with personal
//! velocity and Bauer-unit baselines (spin / velocity, about 24 for four-seamers), so spin rises
//! with velocity. Outings vary a little as a whole; late in an outing velocity and spin fade
//! (fatigue). About 60% of the pitchers used grip aids before the 2021 crackdown: their spin
//! carries 80-220 rpm extra (not on changeups) that fades between the announcement
//! (2021-06-03) and enforcement (2021-06-21), which makes the league-wide fastball spin drop of
//! the book's figure. Planted "sticky" outings, listed in the truth table, add 150-400 rpm to
//! the pitcher's primary fastball and up to two more of his pitch types for one game, for about
//! one pitcher in thirty, at any point of the season after his third outing. The truth table
//! counts the boosted pitches: a reliever pulled after two pitches had a sticky outing nobody
//! could see.

use polars::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::generators::{GenParams, normal};

/// Games in a full season (30 teams × 162 / 2).
pub(crate) const SEASON_GAMES: usize = 2430;
const TEAMS: usize = 30;
const STARTERS: usize = 5;
const RELIEVERS: usize = 8;

/// The pitch types the generator throws, with league means: velocity (mph), Bauer units,
/// horizontal and vertical movement (ft, right-hander's view) and spin axis (degrees).
struct TypeSpec {
    code: &'static str,
    velo: f64,
    bauer: f64,
    pfx_x: f64,
    pfx_z: f64,
    axis: f64,
}

const TYPES: [TypeSpec; 6] = [
    TypeSpec {
        code: "FF",
        velo: 94.0,
        bauer: 24.2,
        pfx_x: -0.55,
        pfx_z: 1.35,
        axis: 210.0,
    },
    TypeSpec {
        code: "SI",
        velo: 93.3,
        bauer: 22.9,
        pfx_x: -1.25,
        pfx_z: 0.75,
        axis: 225.0,
    },
    TypeSpec {
        code: "FC",
        velo: 89.0,
        bauer: 27.0,
        pfx_x: 0.2,
        pfx_z: 0.75,
        axis: 185.0,
    },
    TypeSpec {
        code: "SL",
        velo: 85.0,
        bauer: 28.8,
        pfx_x: 0.45,
        pfx_z: 0.15,
        axis: 100.0,
    },
    TypeSpec {
        code: "CU",
        velo: 79.0,
        bauer: 32.0,
        pfx_x: 0.75,
        pfx_z: -0.85,
        axis: 40.0,
    },
    TypeSpec {
        code: "CH",
        velo: 85.5,
        bauer: 20.3,
        pfx_x: -1.1,
        pfx_z: 0.5,
        axis: 235.0,
    },
];
const CH: usize = 5;

const FIRST_NAMES: [&str; 24] = [
    "Aaron", "Blake", "Carlos", "Dylan", "Eduardo", "Frankie", "Gerrit", "Hunter", "Ian", "Jacob",
    "Kyle", "Luis", "Max", "Nestor", "Oscar", "Pablo", "Quinn", "Robbie", "Shane", "Tyler",
    "Walker", "Yusei", "Zack", "Corbin",
];
/// Invented surnames (no real player is named: the sample is generated).
const LAST_NAMES: [&str; 30] = [
    "Ashgrove",
    "Birchfield",
    "Cobbleton",
    "Dunmore",
    "Elmsworth",
    "Fernhill",
    "Glenrock",
    "Hollowell",
    "Ivydale",
    "Juniperly",
    "Kestrelton",
    "Larkspur",
    "Mossbank",
    "Nettlefold",
    "Oakhurst",
    "Pebblecombe",
    "Quarrybrook",
    "Rookwood",
    "Sallowmere",
    "Thistledown",
    "Umberfield",
    "Vetchley",
    "Willowmere",
    "Yarrowby",
    "Zephyrton",
    "Bramblecote",
    "Cindervale",
    "Gorsemoor",
    "Lanternby",
    "Marrowdale",
];

/// One pitch type in a pitcher's arsenal.
struct Pitch {
    kind: usize,
    usage: f64,
    velo: f64,
    bauer: f64,
}

struct Pitcher {
    id: i64,
    name: String,
    left: bool,
    arsenal: Vec<Pitch>,
    release_x: f64,
    release_z: f64,
    extension: f64,
    /// Extra spin from grip aids before the crackdown (0 for non-users).
    aid: f64,
    /// Pitches before he tires.
    stamina: f64,
    outings: usize,
    /// Outing numbers (0-based) planted as sticky, with the boost per pitch type.
    sticky: Vec<(usize, Vec<(usize, f64)>)>,
}

/// One planted outing, for the truth table.
struct Planted {
    game_pk: i64,
    day: i32,
    pitcher: usize,
    types: Vec<(usize, f64)>,
    earlier: usize,
    pitches: usize,
}

#[derive(Default)]
struct Rows {
    pitch_type: Vec<&'static str>,
    game_date: Vec<i32>,
    release_speed: Vec<f64>,
    release_pos_x: Vec<f64>,
    release_pos_z: Vec<f64>,
    player_name: Vec<u32>,
    batter: Vec<i64>,
    pitcher: Vec<i64>,
    events: Vec<Option<&'static str>>,
    description: Vec<&'static str>,
    pfx_x: Vec<f64>,
    pfx_z: Vec<f64>,
    plate_x: Vec<f64>,
    plate_z: Vec<f64>,
    inning: Vec<i32>,
    inning_topbot: Vec<&'static str>,
    game_pk: Vec<i64>,
    release_spin_rate: Vec<f64>,
    release_extension: Vec<f64>,
    at_bat_number: Vec<i32>,
    pitch_number: Vec<i32>,
    spin_axis: Vec<f64>,
}

/// A day number (days since 1970-01-01) of a calendar date.
pub(crate) fn day_of(year: i32, month: u32, day: u32) -> i32 {
    chrono::NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| chrono::NaiveDate::from_ymd_opt(1970, 1, 1).map(|e| (d - e).num_days()))
        .and_then(|n| i32::try_from(n).ok())
        .unwrap_or(0)
}

/// The 2021 crackdown on grip aids: announced, and enforced (day numbers).
pub fn crackdown() -> (i32, i32) {
    (day_of(2021, 6, 3), day_of(2021, 6, 21))
}

/// The share of a pitcher's grip-aid spin still used on `day` (1 before the announcement, 0
/// from enforcement on, linear between).
fn aid_share(day: i32) -> f64 {
    let (announced, enforced) = crackdown();
    if day < announced {
        1.0
    } else if day >= enforced {
        0.0
    } else {
        f64::from(enforced - day) / f64::from(enforced - announced)
    }
}

fn round_to(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

fn make_pitcher(rng: &mut ChaCha8Rng, id: i64, starter: bool, name: usize) -> Pitcher {
    // Every pitcher has a name of his own: `name` indexes the first x last name pairs.
    let first = FIRST_NAMES[name % FIRST_NAMES.len()];
    let last = LAST_NAMES[name / FIRST_NAMES.len() % LAST_NAMES.len()];
    let left = rng.random::<f64>() < 0.3;
    let fastball = if rng.random::<f64>() < 0.7 { 0 } else { 1 };
    let mut kinds = vec![fastball];
    let mut others: Vec<usize> = vec![2, 3, 4, CH];
    others.shuffle(rng);
    let extra = if starter {
        rng.random_range(2..=4)
    } else {
        rng.random_range(1..=3)
    };
    kinds.extend(others.into_iter().take(extra));
    let velo_shift = 1.8 * normal(rng) + if starter { -0.5 } else { 0.8 };
    let arsenal = kinds
        .iter()
        .enumerate()
        .map(|(i, &k)| Pitch {
            kind: k,
            usage: if i == 0 {
                1.6 + rng.random::<f64>()
            } else {
                0.4 + rng.random::<f64>()
            },
            velo: TYPES[k].velo + velo_shift + 0.8 * normal(rng),
            bauer: TYPES[k].bauer * (1.0 + 0.055 * normal(rng)),
        })
        .collect();
    let aid = if rng.random::<f64>() < 0.6 {
        rng.random_range(80.0..220.0)
    } else {
        0.0
    };
    Pitcher {
        id,
        name: format!("{last}, {first}"),
        left,
        arsenal,
        release_x: (if left { 1.0 } else { -1.0 }) * (1.9 + 0.45 * normal(rng)).abs(),
        release_z: 5.8 + 0.35 * normal(rng),
        extension: 6.3 + 0.35 * normal(rng),
        aid,
        stamina: if starter {
            92.0 + 8.0 * normal(rng)
        } else {
            20.0 + 4.0 * normal(rng)
        },
        outings: 0,
        sticky: Vec::new(),
    }
}

/// What ends a plate appearance, with its share before fatigue and times through the order.
const OUTCOMES: [(&str, f64); 8] = [
    ("strikeout", 0.23),
    ("walk", 0.085),
    ("hit_by_pitch", 0.01),
    ("single", 0.14),
    ("double", 0.045),
    ("triple", 0.004),
    ("home_run", 0.032),
    ("field_out", 0.454),
];

fn outcome(rng: &mut ChaCha8Rng, through_order: usize, tired: f64) -> &'static str {
    let k_factor = (1.0 - 0.12 * (through_order as f64 - 1.0) - 0.3 * tired).max(0.4);
    let total: f64 = OUTCOMES
        .iter()
        .map(|(n, w)| if *n == "strikeout" { w * k_factor } else { *w })
        .sum();
    let mut u = rng.random::<f64>() * total;
    for (name, w) in OUTCOMES {
        let w = if name == "strikeout" { w * k_factor } else { w };
        if u < w {
            return name;
        }
        u -= w;
    }
    "field_out"
}

/// The state of one pitcher's current outing.
struct Outing {
    pitcher: usize,
    pitches: usize,
    batters: usize,
    velo_effect: f64,
    spin_effect: f64,
    sticky: Vec<(usize, f64)>,
}

struct Game<'a> {
    rng: &'a mut ChaCha8Rng,
    pitchers: &'a mut [Pitcher],
    rows: &'a mut Rows,
    planted: &'a mut Vec<Planted>,
    game_pk: i64,
    day: i32,
    at_bat: i32,
}

impl Game<'_> {
    fn start_outing(&mut self, p: usize) -> Outing {
        let pitcher = &mut self.pitchers[p];
        let n = pitcher.outings;
        pitcher.outings += 1;
        let sticky = pitcher
            .sticky
            .iter()
            .find(|(o, _)| *o == n)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        if !sticky.is_empty() {
            self.planted.push(Planted {
                game_pk: self.game_pk,
                day: self.day,
                pitcher: p,
                types: sticky.clone(),
                earlier: n,
                pitches: 0,
            });
        }
        Outing {
            pitcher: p,
            pitches: 0,
            batters: 0,
            velo_effect: 0.5 * normal(self.rng),
            spin_effect: 15.0 * normal(self.rng),
            sticky,
        }
    }

    /// One plate appearance; returns whether it made an out.
    fn plate_appearance(&mut self, o: &mut Outing, batter: i64, inning: i32, top: bool) -> bool {
        self.at_bat += 1;
        let through_order = o.batters / 9 + 1;
        o.batters += 1;
        let tired = ((o.pitches as f64 - self.pitchers[o.pitcher].stamina * 0.75) / 40.0).max(0.0);
        let result = outcome(self.rng, through_order, tired);
        let mut count = 1;
        while count < 10 && self.rng.random::<f64>() < 0.72 {
            count += 1;
        }
        if result == "walk" {
            count = count.max(4);
        } else if result == "strikeout" {
            count = count.max(3);
        }
        for n in 1..=count {
            let last = n == count;
            let description = if !last {
                ["ball", "called_strike", "swinging_strike", "foul"][self.rng.random_range(0..4)]
            } else {
                match result {
                    "strikeout" => {
                        if self.rng.random::<f64>() < 0.75 {
                            "swinging_strike"
                        } else {
                            "called_strike"
                        }
                    }
                    "walk" => "ball",
                    "hit_by_pitch" => "hit_by_pitch",
                    _ => "hit_into_play",
                }
            };
            self.pitch(
                o,
                batter,
                inning,
                top,
                n,
                description,
                last.then_some(result),
            );
        }
        matches!(result, "strikeout" | "field_out")
    }

    #[allow(clippy::too_many_arguments)]
    fn pitch(
        &mut self,
        o: &mut Outing,
        batter: i64,
        inning: i32,
        top: bool,
        number: i32,
        description: &'static str,
        event: Option<&'static str>,
    ) {
        let rng = &mut *self.rng;
        let p = &self.pitchers[o.pitcher];
        let total: f64 = p.arsenal.iter().map(|a| a.usage).sum();
        let mut u = rng.random::<f64>() * total;
        let arm = p
            .arsenal
            .iter()
            .find(|a| {
                u -= a.usage;
                u < 0.0
            })
            .unwrap_or(&p.arsenal[0]);
        let spec = &TYPES[arm.kind];
        let late = (o.pitches as f64 - 0.7 * p.stamina).max(0.0);
        let velo = arm.velo + o.velo_effect - 0.025 * late + 0.8 * normal(rng);
        let aid = if arm.kind == CH {
            0.0
        } else {
            p.aid * aid_share(self.day)
        };
        let boost: f64 = o
            .sticky
            .iter()
            .filter(|(k, _)| *k == arm.kind)
            .map(|(_, b)| *b)
            .sum();
        let spin = arm.bauer * velo + o.spin_effect + aid + boost - 0.3 * late + 40.0 * normal(rng);
        let side = if p.left { -1.0 } else { 1.0 };
        let r = &mut *self.rows;
        r.pitch_type.push(spec.code);
        r.game_date.push(self.day);
        r.release_speed.push(round_to(velo, 1));
        r.release_pos_x
            .push(round_to(p.release_x + 0.08 * normal(rng), 2));
        r.release_pos_z
            .push(round_to(p.release_z + 0.08 * normal(rng), 2));
        r.player_name.push(o.pitcher as u32);
        r.batter.push(batter);
        r.pitcher.push(p.id);
        r.events.push(event);
        r.description.push(description);
        r.pfx_x
            .push(round_to(side * spec.pfx_x + 0.15 * normal(rng), 2));
        r.pfx_z.push(round_to(spec.pfx_z + 0.12 * normal(rng), 2));
        r.plate_x.push(round_to(0.8 * normal(rng), 2));
        r.plate_z.push(round_to(2.4 + 0.8 * normal(rng), 2));
        r.inning.push(inning);
        r.inning_topbot.push(if top { "Top" } else { "Bot" });
        r.game_pk.push(self.game_pk);
        r.release_spin_rate.push(spin.round());
        r.release_extension
            .push(round_to(p.extension + 0.1 * normal(rng), 1));
        r.at_bat_number.push(self.at_bat);
        r.pitch_number.push(number);
        let axis = if p.left { 360.0 - spec.axis } else { spec.axis };
        r.spin_axis
            .push((axis + 8.0 * normal(rng)).rem_euclid(360.0).round());
        o.pitches += 1;
        if boost > 0.0
            && let Some(pl) = self.planted.last_mut()
            && pl.game_pk == self.game_pk
            && pl.pitcher == o.pitcher
        {
            pl.pitches += 1;
        }
    }

    /// One team pitching a whole game: the starter, then relievers in turn.
    fn side(&mut self, staff: &[usize], rotation: usize, lineup: &[i64], top: bool) {
        let starter = staff[rotation % STARTERS];
        let mut relievers: Vec<usize> = staff[STARTERS..].to_vec();
        relievers.shuffle(self.rng);
        let mut next_reliever = relievers.into_iter();
        let mut o = self.start_outing(starter);
        let mut limit = self.pitchers[starter].stamina + 8.0 * normal(self.rng);
        let mut batter = 0;
        for inning in 1..=9 {
            if o.pitches as f64 >= limit
                && let Some(r) = next_reliever.next()
            {
                o = self.start_outing(r);
                limit = self.pitchers[r].stamina + 5.0 * normal(self.rng);
            }
            let mut outs = 0;
            let mut appearances = 0;
            while outs < 3 && appearances < 9 {
                if o.pitches as f64 >= limit + 15.0
                    && let Some(r) = next_reliever.next()
                {
                    o = self.start_outing(r);
                    limit = self.pitchers[r].stamina + 5.0 * normal(self.rng);
                }
                if self.plate_appearance(&mut o, lineup[batter % 9], inning, top) {
                    outs += 1;
                }
                batter += 1;
                appearances += 1;
            }
        }
    }
}

/// The season's game days: `games` games, 15 a day at most, spread from April 1 to October 3.
fn game_days(season: i32, games: usize) -> Vec<i32> {
    let first = day_of(season, 4, 1);
    let span = day_of(season, 10, 3) - first + 1;
    let per_day = TEAMS / 2;
    let days = games.div_ceil(per_day).max(1);
    (0..games)
        .map(|g| {
            let d = g / per_day;
            first + (d as i64 * i64::from(span) / days as i64) as i32
        })
        .collect()
}

/// A season (`--season`, default 2021) of `--games` games (default 2,430) and its truth table.
pub(crate) fn with_truth(p: &GenParams) -> PolarsResult<(DataFrame, DataFrame)> {
    let season = p.season.unwrap_or(2021);
    let games = p.games.unwrap_or(SEASON_GAMES);
    if !(1..=100_000).contains(&games) {
        return Err(PolarsError::ComputeError(
            format!("games must be from 1 to 100000, got {games}").into(),
        ));
    }
    if !(1900..=2100).contains(&season) {
        return Err(PolarsError::ComputeError(
            format!("season must be from 1900 to 2100, got {season}").into(),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    let mut pitchers = Vec::new();
    let mut staffs = Vec::new();
    let mut names: Vec<usize> = (0..FIRST_NAMES.len() * LAST_NAMES.len()).collect();
    names.shuffle(&mut rng);
    for team in 0..TEAMS {
        let staff: Vec<usize> = (0..STARTERS + RELIEVERS)
            .map(|i| {
                let id = 600_000 + (team * 100 + i) as i64 * 7;
                let name = names[pitchers.len() % names.len()];
                pitchers.push(make_pitcher(&mut rng, id, i < STARTERS, name));
                pitchers.len() - 1
            })
            .collect();
        staffs.push(staff);
    }
    plant_sticky(&mut rng, &mut pitchers, games);
    let lineups: Vec<Vec<i64>> = (0..TEAMS)
        .map(|t| (0..9).map(|b| 650_000 + (t * 20 + b) as i64 * 3).collect())
        .collect();
    let days = game_days(season, games);
    let mut rows = Rows::default();
    let mut planted = Vec::new();
    let mut played = vec![0usize; TEAMS];
    let mut teams: Vec<usize> = (0..TEAMS).collect();
    let mut at_bat;
    for (g, &day) in days.iter().enumerate() {
        if g % (TEAMS / 2) == 0 {
            teams.shuffle(&mut rng);
        }
        let slot = g % (TEAMS / 2);
        let (home, away) = (teams[2 * slot], teams[2 * slot + 1]);
        at_bat = 0;
        let game_pk = 630_000 + g as i64;
        for (pitching, batting, top) in [(home, away, true), (away, home, false)] {
            let mut game = Game {
                rng: &mut rng,
                pitchers: &mut pitchers,
                rows: &mut rows,
                planted: &mut planted,
                game_pk,
                day,
                at_bat,
            };
            game.side(&staffs[pitching], played[pitching], &lineups[batting], top);
            at_bat = game.at_bat;
        }
        played[home] += 1;
        played[away] += 1;
    }
    Ok((table(rows, &pitchers)?, truth(&planted, &pitchers)?))
}

/// About one pitcher in thirty gets 2-3 sticky outings after his third.
fn plant_sticky(rng: &mut ChaCha8Rng, pitchers: &mut [Pitcher], games: usize) {
    let n = pitchers.len();
    let mut chosen: Vec<usize> = (0..n).collect();
    chosen.shuffle(rng);
    // Outings a pitcher gets in this many games: a starter one in five of his team's games.
    let team_games = (games * 2 / TEAMS).max(1);
    for &p in chosen.iter().take(n.div_ceil(30)) {
        let starter = pitchers[p].stamina > 50.0;
        let expected = if starter {
            team_games / STARTERS
        } else {
            team_games * 3 / RELIEVERS
        };
        if expected < 5 {
            continue;
        }
        let k = rng.random_range(2..=3usize);
        let mut outings: Vec<usize> = (3..expected.saturating_sub(1)).collect();
        outings.shuffle(rng);
        // The primary fastball always, and up to two more of his pitches (not the changeup).
        let primary = pitchers[p].arsenal[0].kind;
        let others: Vec<usize> = pitchers[p].arsenal[1..]
            .iter()
            .map(|a| a.kind)
            .filter(|k| *k != CH)
            .collect();
        for &o in outings.iter().take(k) {
            let mut types = others.clone();
            types.shuffle(rng);
            let m = rng.random_range(0..=types.len().min(2));
            let boosts = std::iter::once(primary)
                .chain(types.into_iter().take(m))
                .map(|t| (t, rng.random_range(150.0..400.0f64).round()))
                .collect();
            pitchers[p].sticky.push((o, boosts));
        }
    }
}

fn table(rows: Rows, pitchers: &[Pitcher]) -> PolarsResult<DataFrame> {
    let names: StringChunked = rows
        .player_name
        .iter()
        .map(|&i| Some(pitchers[i as usize].name.as_str()))
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new("pitch_type".into(), rows.pitch_type),
        Column::new("game_date".into(), rows.game_date).cast(&DataType::Date)?,
        Column::new("release_speed".into(), rows.release_speed),
        Column::new("release_pos_x".into(), rows.release_pos_x),
        Column::new("release_pos_z".into(), rows.release_pos_z),
        names.with_name("player_name".into()).into_column(),
        Column::new("batter".into(), rows.batter),
        Column::new("pitcher".into(), rows.pitcher),
        Column::new("events".into(), rows.events),
        Column::new("description".into(), rows.description),
        Column::new("pfx_x".into(), rows.pfx_x),
        Column::new("pfx_z".into(), rows.pfx_z),
        Column::new("plate_x".into(), rows.plate_x),
        Column::new("plate_z".into(), rows.plate_z),
        Column::new("inning".into(), rows.inning),
        Column::new("inning_topbot".into(), rows.inning_topbot),
        Column::new("game_pk".into(), rows.game_pk),
        Column::new("release_spin_rate".into(), rows.release_spin_rate),
        Column::new("release_extension".into(), rows.release_extension),
        Column::new("at_bat_number".into(), rows.at_bat_number),
        Column::new("pitch_number".into(), rows.pitch_number),
        Column::new("spin_axis".into(), rows.spin_axis),
    ])
}

fn truth(planted: &[Planted], pitchers: &[Pitcher]) -> PolarsResult<DataFrame> {
    let types = |p: &Planted| {
        p.types
            .iter()
            .map(|(k, _)| TYPES[*k].code)
            .collect::<Vec<_>>()
            .join(";")
    };
    let boosts = |p: &Planted| {
        p.types
            .iter()
            .map(|(_, b)| format!("{b}"))
            .collect::<Vec<_>>()
            .join(";")
    };
    DataFrame::new_infer_height(vec![
        Column::new(
            "game_pk".into(),
            planted.iter().map(|p| p.game_pk).collect::<Vec<_>>(),
        ),
        Column::new(
            "game_date".into(),
            planted.iter().map(|p| p.day).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new(
            "pitcher".into(),
            planted
                .iter()
                .map(|p| pitchers[p.pitcher].id)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "player_name".into(),
            planted
                .iter()
                .map(|p| pitchers[p.pitcher].name.clone())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "pitch_types".into(),
            planted.iter().map(types).collect::<Vec<_>>(),
        ),
        Column::new(
            "boost_rpm".into(),
            planted.iter().map(boosts).collect::<Vec<_>>(),
        ),
        Column::new(
            "earlier_outings".into(),
            planted.iter().map(|p| p.earlier as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "boosted_pitches".into(),
            planted.iter().map(|p| p.pitches as u32).collect::<Vec<_>>(),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(games: usize, seed: u64) -> GenParams {
        GenParams {
            seed,
            games: Some(games),
            ..GenParams::default()
        }
    }

    #[test]
    fn seasons_are_seeded_and_shaped_like_statcast() {
        let (a, truth) = with_truth(&params(150, 7)).unwrap();
        let (b, _) = with_truth(&params(150, 7)).unwrap();
        assert!(a.equals_missing(&b));
        let per_game = a.height() as f64 / 150.0;
        assert!(
            (230.0..360.0).contains(&per_game),
            "{per_game} pitches a game"
        );
        for c in [
            "game_pk",
            "game_date",
            "pitcher",
            "pitch_type",
            "release_speed",
        ] {
            assert!(a.column(c).is_ok(), "{c}");
        }
        // Four-seamers: about 24 Bauer units.
        let types = a.column("pitch_type").unwrap().str().unwrap().clone();
        let spin = a
            .column("release_spin_rate")
            .unwrap()
            .f64()
            .unwrap()
            .clone();
        let speed = a.column("release_speed").unwrap().f64().unwrap().clone();
        let ratios: Vec<f64> = (0..a.height())
            .filter(|&i| types.get(i) == Some("FF"))
            .map(|i| spin.get(i).unwrap() / speed.get(i).unwrap())
            .collect();
        let bu = ratios.iter().sum::<f64>() / ratios.len() as f64;
        assert!((22.5..27.0).contains(&bu), "{bu}");
        assert!(truth.height() <= 3 * 13);
    }

    #[test]
    fn the_crackdown_fades_grip_aids() {
        let (a, e) = crackdown();
        assert_eq!(aid_share(a - 1), 1.0);
        assert_eq!(aid_share(e), 0.0);
        assert!((aid_share((a + e) / 2) - 0.5).abs() < 0.06);
        assert_eq!(day_of(2021, 6, 3), 18_781);
    }
}
