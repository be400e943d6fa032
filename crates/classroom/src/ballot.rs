//! The ballot box of one class session: its join code, the devices that joined with it (each
//! known only by a random token: no login, no personal data), the round the instructor has
//! open with what the students see, one vote per device per round (changeable until the
//! round closes), and the tally.
//!
//! Plain code with the clock passed in (`now`), so every rule is unit-tested without a
//! server or a wait. Every refusal is a [`Refusal`] that names its HTTP status.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use attune_core::model::{Catalogue, School};
use attune_core::scenario::{Choice, Directiveness, FocusShift, Framing, Pacing};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The characters of a join code: capitals and digits with the ones read alike on a
/// projector left out (0/O, 1/I/L, and U/V, 5/S, 2/Z, 8/B).
pub const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTWXY34679";

/// A join code's length: 23^6 is about 148 million codes, typed in a few seconds.
pub const CODE_LENGTH: usize = 6;

/// Why a request was refused; each maps to one HTTP status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("that is not this class's join code")]
    BadCode,
    #[error("this device has not joined the class (enter the join code first)")]
    NotJoined,
    #[error("the class is full: {0} devices have joined")]
    ClassFull(usize),
    #[error("no technique `{0}` in this round's palette")]
    UnknownTechnique(String),
    #[error("`{value}` is not a choice for {field}")]
    UnknownAdaptation { field: String, value: String },
    #[error("the vote is closed")]
    RoundClosed,
    #[error("the request is larger than {0} bytes")]
    TooLarge(usize),
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("too many votes from this device: wait a moment")]
    Flooding,
}

impl Refusal {
    /// The HTTP status the server answers this refusal with.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::BadCode | Refusal::NotJoined => 401,
            Refusal::UnknownTechnique(_) | Refusal::UnknownAdaptation { .. } => 404,
            Refusal::RoundClosed => 409,
            Refusal::TooLarge(_) => 413,
            Refusal::Malformed(_) => 400,
            Refusal::Flooding => 429,
            Refusal::ClassFull(_) => 503,
        }
    }
}

/// The bounds a class session keeps, whatever the devices send.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Devices that may join one session.
    pub max_devices: usize,
    /// The largest request body read, in bytes.
    pub max_body: usize,
    /// Votes a device may send at once before it must wait ...
    pub vote_burst: u32,
    /// ... and the time in which one more vote is allowed again.
    pub vote_refill: Duration,
    /// Reads of the round a device may make at once before it must wait (the page asks
    /// every 2 s) ...
    pub read_burst: u32,
    /// ... and the time in which one more read is allowed again.
    pub read_refill: Duration,
    /// Wrong join codes one network address may send at once before it must wait ...
    pub code_guesses: u32,
    /// ... and the time in which one more is allowed again.
    pub code_guess_refill: Duration,
    /// Network addresses with wrong codes kept track of at once.
    pub max_guessers: usize,
}

impl Default for Limits {
    /// A class of up to 400 devices; a vote is about 200 bytes; a student changing their mind
    /// a few times in a row is fine, a script sending hundreds a second is not. A student
    /// mistyping the code a few times is fine; guessing it (about 148 million codes) at one
    /// every 10 seconds would take a device centuries.
    fn default() -> Limits {
        Limits {
            max_devices: 400,
            max_body: 2048,
            vote_burst: 5,
            vote_refill: Duration::from_secs(1),
            read_burst: 10,
            read_refill: Duration::from_millis(250),
            code_guesses: 10,
            code_guess_refill: Duration::from_secs(10),
            max_guessers: 4096,
        }
    }
}

/// A class session's join code: [`CODE_LENGTH`] characters of [`CODE_ALPHABET`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinCode(String);

impl JoinCode {
    /// A fresh code from the system's random source.
    pub fn random() -> JoinCode {
        let bytes = uuid::Uuid::new_v4().into_bytes();
        // 16 random bytes (122 random bits); each byte taken modulo 23 is biased by under
        // 1 part in 11, which does not matter for a code that only has to be unguessable
        // within a lesson under the rate limits.
        let code = bytes[..CODE_LENGTH]
            .iter()
            .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
            .collect();
        JoinCode(code)
    }

    /// A given code (for tests and for an instructor who re-opens a class); refused unless
    /// it is [`CODE_LENGTH`] characters of the alphabet.
    pub fn parse(text: &str) -> Result<JoinCode, Refusal> {
        let normal = normalise_code(text);
        if normal.len() == CODE_LENGTH && normal.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            Ok(JoinCode(normal))
        } else {
            Err(Refusal::BadCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether what a student typed is this code: case and spaces do not matter.
    pub fn matches(&self, typed: &str) -> bool {
        normalise_code(typed) == self.0
    }
}

fn normalise_code(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// A device's token: 128 bits from the system's random source, as 32 hex digits. It is all
/// the server knows of a student.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(String);

impl Token {
    fn random() -> Token {
        Token(uuid::Uuid::new_v4().simple().to_string())
    }

    /// A token as a device sent it back; anything but 32 lower-case hex digits is no token.
    pub fn parse(text: &str) -> Option<Token> {
        (text.len() == 32
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| Token(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One technique on the students' palette.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaletteTechnique {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// One school's techniques on the students' palette.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaletteSchool {
    pub id: String,
    pub label: String,
    pub techniques: Vec<PaletteTechnique>,
}

/// One adaptation choice a vote may carry: a field of [`Choice`] and its values with their
/// labels. The values are the names `Choice` is written with in scenario files and votes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdaptationChoice {
    pub field: &'static str,
    pub label: &'static str,
    pub options: Vec<(String, &'static str)>,
}

/// What the students see while a round is open: the client's last line and cues, the
/// palette grouped by school, the adaptation choices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundView {
    /// The turn the class votes on (the move about to be played).
    pub turn: u32,
    pub client: String,
    pub line: String,
    pub cues: Vec<String>,
    pub palette: Vec<PaletteSchool>,
    pub adaptations: Vec<AdaptationChoice>,
}

impl RoundView {
    /// A round on `turn` with the whole catalogue as the palette, grouped by each
    /// technique's own school in the catalogue's order of schools, and every adaptation.
    pub fn new(
        turn: u32,
        client: &str,
        line: &str,
        cues: &[String],
        catalogue: &Catalogue,
    ) -> RoundView {
        RoundView {
            turn,
            client: client.to_string(),
            line: line.to_string(),
            cues: cues.to_vec(),
            palette: palette(catalogue),
            adaptations: adaptation_choices(),
        }
    }

    fn offers(&self, technique: &str) -> bool {
        self.palette
            .iter()
            .any(|s| s.techniques.iter().any(|t| t.id == technique))
    }
}

fn palette(catalogue: &Catalogue) -> Vec<PaletteSchool> {
    catalogue
        .schools()
        .into_iter()
        .map(|school: School| PaletteSchool {
            id: school.id().to_string(),
            label: school.label().to_string(),
            techniques: catalogue
                .techniques
                .iter()
                .filter(|t| t.school == school)
                .map(|t| PaletteTechnique {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    description: t.description.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The name a value of an adaptation is written with (`"AskPermission"`): serde's, so votes
/// and scenario files spell them alike.
fn name_of<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => unreachable!("an adaptation is a unit variant, not {other:?}"),
    }
}

/// The adaptation choices, labelled as the practice screen labels them (the labels are the
/// core's, so the phone and the screen say the same).
fn adaptation_choices() -> Vec<AdaptationChoice> {
    fn choice<T: Copy + Serialize>(
        field: &'static str,
        label: &'static str,
        all: &[T],
        name: impl Fn(T) -> &'static str,
    ) -> AdaptationChoice {
        AdaptationChoice {
            field,
            label,
            options: all.iter().map(|&v| (name_of(v), name(v))).collect(),
        }
    }
    vec![
        choice(
            "directiveness",
            Directiveness::LABEL,
            &Directiveness::ALL,
            Directiveness::label,
        ),
        choice(
            "focus",
            FocusShift::LABEL,
            &FocusShift::ALL,
            FocusShift::label,
        ),
        choice("pacing", Pacing::LABEL, &Pacing::ALL, Pacing::label),
        choice("framing", Framing::LABEL, &Framing::ALL, Framing::label),
    ]
}

/// A vote as a device sends it: the turn it is for, the technique, and any adaptations
/// (left out: as is). Read field by field so an unknown adaptation is told apart from a
/// malformed request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoteRequest {
    turn: u32,
    technique: String,
    #[serde(default)]
    directiveness: Option<String>,
    #[serde(default)]
    focus: Option<String>,
    #[serde(default)]
    pacing: Option<String>,
    #[serde(default)]
    framing: Option<String>,
    #[serde(default)]
    culturally_adapted: bool,
    #[serde(default)]
    spiritually_adapted: bool,
}

/// One adaptation value by its name, or the refusal naming it.
fn adaptation<T: serde::de::DeserializeOwned + Default>(
    field: &str,
    value: Option<String>,
) -> Result<T, Refusal> {
    match value {
        None => Ok(T::default()),
        Some(v) => serde_json::from_value(Value::String(v.clone())).map_err(|_| {
            Refusal::UnknownAdaptation {
                field: field.to_string(),
                value: v,
            }
        }),
    }
}

/// A device's vote in one round: the move it would play.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Vote {
    pub technique: String,
    pub directiveness: Directiveness,
    pub focus: FocusShift,
    pub pacing: Pacing,
    pub framing: Framing,
    pub culturally_adapted: bool,
    pub spiritually_adapted: bool,
}

impl Vote {
    /// The move the engine plays or scores for this vote.
    pub fn to_choice(&self) -> Choice {
        Choice {
            technique: self.technique.clone(),
            directiveness: self.directiveness,
            focus: self.focus,
            pacing: self.pacing,
            framing: self.framing,
            culturally_adapted: self.culturally_adapted,
            spiritually_adapted: self.spiritually_adapted,
            // A class votes on moves; words are a trainee's own practice.
            say: None,
        }
    }

    /// The vote as JSON, in the names a device sends.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "technique": self.technique,
            "directiveness": name_of(self.directiveness),
            "focus": name_of(self.focus),
            "pacing": name_of(self.pacing),
            "framing": name_of(self.framing),
            "culturally_adapted": self.culturally_adapted,
            "spiritually_adapted": self.spiritually_adapted,
        })
    }

    /// An order for equal counts, so a tally reads the same every time: the technique, then
    /// each adaptation in the order the app offers it.
    fn order_key(&self) -> (String, [usize; 4], bool, bool) {
        let at = |found: Option<usize>| found.unwrap_or(usize::MAX);
        (
            self.technique.clone(),
            [
                at(Directiveness::ALL
                    .iter()
                    .position(|d| *d == self.directiveness)),
                at(FocusShift::ALL.iter().position(|f| *f == self.focus)),
                at(Pacing::ALL.iter().position(|p| *p == self.pacing)),
                at(Framing::ALL.iter().position(|f| *f == self.framing)),
            ],
            self.culturally_adapted,
            self.spiritually_adapted,
        )
    }
}

/// A round's count: how many voted, by move (technique and adaptation) and by technique,
/// most votes first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub turn: u32,
    pub voters: usize,
    pub by_vote: Vec<(Vote, usize)>,
    pub by_technique: Vec<(String, usize)>,
}

/// A rate limit: a bucket of `burst` requests refilled one per `refill`.
#[derive(Debug, Clone)]
struct Allowance {
    left: f64,
    checked: Instant,
}

impl Allowance {
    fn full(burst: u32, now: Instant) -> Allowance {
        Allowance {
            left: f64::from(burst),
            checked: now,
        }
    }

    /// Spends one request if there is one left, after refilling for the time gone by.
    fn spend(&mut self, burst: u32, refill: Duration, now: Instant) -> Result<(), Refusal> {
        self.refill(burst, refill, now);
        if self.left < 1.0 {
            return Err(Refusal::Flooding);
        }
        self.left -= 1.0;
        Ok(())
    }

    fn refill(&mut self, burst: u32, refill: Duration, now: Instant) {
        let earned =
            now.saturating_duration_since(self.checked).as_secs_f64() / refill.as_secs_f64();
        self.left = (self.left + earned).min(f64::from(burst));
        self.checked = self.checked.max(now);
    }
}

/// A joined device: how many votes and reads of the round it may still make now.
#[derive(Debug)]
struct Device {
    votes: Allowance,
    reads: Allowance,
}

#[derive(Debug)]
struct Round {
    view: RoundView,
    open: bool,
    votes: HashMap<Token, Vote>,
}

/// What a device sees of the round: the view, whether it is open, and its own vote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceState {
    pub round: Option<RoundView>,
    pub open: bool,
    pub your_vote: Option<Value>,
}

/// The ballot box of one class session.
#[derive(Debug)]
pub struct BallotBox {
    code: JoinCode,
    limits: Limits,
    /// Each device's allowances of votes and of reads.
    devices: HashMap<Token, Device>,
    /// Each network address that sent a wrong code: its allowance of wrong codes.
    guessers: HashMap<IpAddr, Allowance>,
    round: Option<Round>,
}

impl BallotBox {
    pub fn new(code: JoinCode, limits: Limits) -> BallotBox {
        BallotBox {
            code,
            limits,
            devices: HashMap::new(),
            guessers: HashMap::new(),
            round: None,
        }
    }

    pub fn code(&self) -> &JoinCode {
        &self.code
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn devices(&self) -> usize {
        self.devices.len()
    }

    /// A device joins from network address `from` with the code typed on it and gets its
    /// token. An address that has sent too many wrong codes is held back, right code or not.
    pub fn join(&mut self, typed_code: &str, from: IpAddr, now: Instant) -> Result<Token, Refusal> {
        let (burst, refill) = (self.limits.code_guesses, self.limits.code_guess_refill);
        if let Some(guesser) = self.guessers.get_mut(&from) {
            guesser.refill(burst, refill, now);
            if guesser.left < 1.0 {
                return Err(Refusal::Flooding);
            }
        }
        if !self.code.matches(typed_code) {
            if !self.guessers.contains_key(&from) && self.guessers.len() >= self.limits.max_guessers
            {
                // The table is bounded: forget the addresses whose allowance is whole again,
                // and while it is still full, hold back every new address that guesses.
                for guesser in self.guessers.values_mut() {
                    guesser.refill(burst, refill, now);
                }
                self.guessers.retain(|_, g| g.left < f64::from(burst));
                if self.guessers.len() >= self.limits.max_guessers {
                    return Err(Refusal::Flooding);
                }
            }
            self.guessers
                .entry(from)
                .or_insert_with(|| Allowance::full(burst, now))
                .spend(burst, refill, now)?;
            return Err(Refusal::BadCode);
        }
        if self.devices.len() >= self.limits.max_devices {
            return Err(Refusal::ClassFull(self.devices.len()));
        }
        let token = Token::random();
        self.devices.insert(
            token.clone(),
            Device {
                votes: Allowance::full(self.limits.vote_burst, now),
                reads: Allowance::full(self.limits.read_burst, now),
            },
        );
        Ok(token)
    }

    /// Opens a round on the view's turn; the round before it, open or not, is over and its
    /// votes are gone (take its tally first).
    pub fn open_round(&mut self, view: RoundView) {
        self.round = Some(Round {
            view,
            open: true,
            votes: HashMap::new(),
        });
    }

    /// Closes the round: no vote is taken or changed after this.
    pub fn close_round(&mut self) {
        if let Some(round) = &mut self.round {
            round.open = false;
        }
    }

    /// Whether a round is open for votes.
    pub fn is_open(&self) -> bool {
        self.round.as_ref().is_some_and(|r| r.open)
    }

    /// How many devices have voted in the round so far.
    pub fn voted(&self) -> usize {
        self.round.as_ref().map_or(0, |r| r.votes.len())
    }

    /// What the device with `token` sees; a device asking faster than its allowance is
    /// refused (a page asks every 2 s; a script asking hundreds of times a second would hold
    /// the one server thread).
    pub fn state_for(&mut self, token: &Token, now: Instant) -> Result<DeviceState, Refusal> {
        self.devices
            .get_mut(token)
            .ok_or(Refusal::NotJoined)?
            .reads
            .spend(self.limits.read_burst, self.limits.read_refill, now)?;
        Ok(match &self.round {
            None => DeviceState {
                round: None,
                open: false,
                your_vote: None,
            },
            Some(r) => DeviceState {
                round: Some(r.view.clone()),
                open: r.open,
                your_vote: r.votes.get(token).map(Vote::to_json),
            },
        })
    }

    /// Records the device's vote from a request body (JSON), replacing its earlier vote in
    /// the round. Nothing is recorded if anything is refused.
    pub fn vote(&mut self, token: &Token, body: &[u8], now: Instant) -> Result<Vote, Refusal> {
        if body.len() > self.limits.max_body {
            return Err(Refusal::TooLarge(self.limits.max_body));
        }
        // Every vote request of a joined device spends its allowance, refused or not, so a
        // device flooding the server with bad votes is slowed down as well.
        self.devices
            .get_mut(token)
            .ok_or(Refusal::NotJoined)?
            .votes
            .spend(self.limits.vote_burst, self.limits.vote_refill, now)?;
        let request: VoteRequest =
            serde_json::from_slice(body).map_err(|e| Refusal::Malformed(e.to_string()))?;
        let Some(round) = self.round.as_mut().filter(|r| r.open) else {
            return Err(Refusal::RoundClosed);
        };
        // A vote for another turn is a vote in a round that has closed.
        if request.turn != round.view.turn {
            return Err(Refusal::RoundClosed);
        }
        if !round.view.offers(&request.technique) {
            return Err(Refusal::UnknownTechnique(request.technique));
        }
        let vote = Vote {
            technique: request.technique,
            directiveness: adaptation("directiveness", request.directiveness)?,
            focus: adaptation("focus", request.focus)?,
            pacing: adaptation("pacing", request.pacing)?,
            framing: adaptation("framing", request.framing)?,
            culturally_adapted: request.culturally_adapted,
            spiritually_adapted: request.spiritually_adapted,
        };
        round.votes.insert(token.clone(), vote.clone());
        Ok(vote)
    }

    /// The round's tally (open or closed); `None` before the first round.
    pub fn tally(&self) -> Option<Tally> {
        let round = self.round.as_ref()?;
        let mut by_vote: HashMap<&Vote, usize> = HashMap::new();
        let mut by_technique: HashMap<&str, usize> = HashMap::new();
        for vote in round.votes.values() {
            *by_vote.entry(vote).or_default() += 1;
            *by_technique.entry(vote.technique.as_str()).or_default() += 1;
        }
        let mut by_vote: Vec<(Vote, usize)> =
            by_vote.into_iter().map(|(v, n)| (v.clone(), n)).collect();
        by_vote.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| a.0.order_key().cmp(&b.0.order_key()))
        });
        let mut by_technique: Vec<(String, usize)> = by_technique
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect();
        by_technique.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Some(Tally {
            turn: round.view.turn,
            voters: round.votes.len(),
            by_vote,
            by_technique,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 1, 20));

    fn open_box(limits: Limits) -> (BallotBox, Instant) {
        let mut ballot = BallotBox::new(JoinCode::parse("ACD347").unwrap(), limits);
        ballot.open_round(RoundView::new(
            3,
            "Dan",
            "I don't know why I'm here.",
            &["looks at the floor".to_string()],
            &Catalogue::builtin(),
        ));
        (ballot, Instant::now())
    }

    fn some_technique(n: usize) -> String {
        Catalogue::builtin().techniques[n].id.clone()
    }

    fn body(technique: &str, extra: &str) -> Vec<u8> {
        format!(r#"{{"turn":3,"technique":"{technique}"{extra}}}"#).into_bytes()
    }

    #[test]
    fn a_fresh_join_code_is_short_and_of_unambiguous_characters() {
        for _ in 0..200 {
            let code = JoinCode::random();
            assert_eq!(code.as_str().len(), CODE_LENGTH);
            assert!(!code.as_str().contains(['0', 'O', '1', 'I', 'L', '5', 'S']));
            assert_eq!(JoinCode::parse(code.as_str()), Ok(code));
        }
        assert_ne!(JoinCode::random(), JoinCode::random());
        assert_eq!(JoinCode::parse("ACD34"), Err(Refusal::BadCode));
        assert_eq!(JoinCode::parse("ACD340"), Err(Refusal::BadCode));
    }

    #[test]
    fn the_code_is_matched_whatever_the_case_and_spacing() {
        let code = JoinCode::parse("acd-347").unwrap();
        assert!(code.matches(" acd 347 "));
        assert!(!code.matches("ACD348"));
    }

    #[test]
    fn a_device_joins_with_the_code_and_gets_a_random_token() {
        let (mut ballot, now) = open_box(Limits::default());
        let a = ballot.join("acd347", HERE, now).unwrap();
        let b = ballot.join("ACD347", HERE, now).unwrap();
        assert_ne!(a, b);
        assert_eq!(Token::parse(a.as_str()), Some(a));
        assert_eq!(ballot.join("XXXXXX", HERE, now), Err(Refusal::BadCode));
        assert_eq!(ballot.devices(), 2);
    }

    #[test]
    fn the_class_is_capped() {
        let limits = Limits {
            max_devices: 2,
            ..Limits::default()
        };
        let (mut ballot, now) = open_box(limits);
        ballot.join("ACD347", HERE, now).unwrap();
        ballot.join("ACD347", HERE, now).unwrap();
        let refused = ballot.join("ACD347", HERE, now).unwrap_err();
        assert_eq!(refused, Refusal::ClassFull(2));
        assert_eq!(refused.status(), 503);
    }

    #[test]
    fn one_vote_per_device_changeable_until_the_round_closes() {
        let (mut ballot, now) = open_box(Limits::default());
        let a = ballot.join("ACD347", HERE, now).unwrap();
        let (first, second) = (some_technique(0), some_technique(1));
        ballot.vote(&a, &body(&first, ""), now).unwrap();
        ballot
            .vote(&a, &body(&second, r#","pacing":"Slower""#), now)
            .unwrap();
        let tally = ballot.tally().unwrap();
        assert_eq!(tally.voters, 1);
        assert_eq!(tally.by_technique, vec![(second.clone(), 1)]);
        assert_eq!(tally.by_vote[0].0.pacing, Pacing::Slower);
        let state = ballot.state_for(&a, now).unwrap();
        assert_eq!(state.your_vote.unwrap()["technique"], second.as_str());

        ballot.close_round();
        assert!(!ballot.is_open());
        assert_eq!(
            ballot.vote(&a, &body(&first, ""), now),
            Err(Refusal::RoundClosed)
        );
        assert_eq!(ballot.tally().unwrap().by_technique, vec![(second, 1)]);
    }

    #[test]
    fn the_tally_counts_by_move_and_by_technique_most_votes_first() {
        let (mut ballot, now) = open_box(Limits::default());
        let (x, y) = (some_technique(0), some_technique(1));
        let sent = [
            (x.as_str(), ""),
            (y.as_str(), ""),
            (y.as_str(), r#","framing":"Collaborative""#),
            (y.as_str(), ""),
        ];
        for (technique, extra) in sent {
            let device = ballot.join("ACD347", HERE, now).unwrap();
            ballot.vote(&device, &body(technique, extra), now).unwrap();
        }
        let tally = ballot.tally().unwrap();
        assert_eq!(tally.turn, 3);
        assert_eq!(tally.voters, 4);
        assert_eq!(ballot.voted(), 4);
        assert_eq!(tally.by_technique, vec![(y.clone(), 3), (x.clone(), 1)]);
        let counts: Vec<(String, Framing, usize)> = tally
            .by_vote
            .iter()
            .map(|(v, n)| (v.technique.clone(), v.framing, *n))
            .collect();
        assert_eq!(counts[0], (y.clone(), Framing::AsIs, 2));
        assert_eq!(counts.len(), 3);
        assert_eq!(counts.iter().map(|c| c.2).sum::<usize>(), 4);
        assert_eq!(tally.by_vote[0].0.to_choice(), Choice::new(&y));
    }

    #[test]
    fn a_vote_for_an_unknown_technique_or_adaptation_is_refused_and_not_counted() {
        let (mut ballot, now) = open_box(Limits::default());
        let a = ballot.join("ACD347", HERE, now).unwrap();
        let refused = ballot.vote(&a, &body("hypnosis", ""), now).unwrap_err();
        assert_eq!(refused, Refusal::UnknownTechnique("hypnosis".into()));
        assert_eq!(refused.status(), 404);
        let refused = ballot
            .vote(&a, &body(&some_technique(0), r#","pacing":"Frantic""#), now)
            .unwrap_err();
        assert_eq!(refused.status(), 404);
        assert!(refused.to_string().contains("Frantic"), "{refused}");
        assert_eq!(ballot.voted(), 0);
    }

    #[test]
    fn malformed_oversized_and_unjoined_votes_are_refused_each_with_its_status() {
        let (mut ballot, now) = open_box(Limits::default());
        let a = ballot.join("ACD347", HERE, now).unwrap();
        let stranger = Token::parse("0123456789abcdef0123456789abcdef").unwrap();
        let t = some_technique(0);
        let cases: Vec<(Token, Vec<u8>, u16)> = vec![
            (stranger, body(&t, ""), 401),
            (a.clone(), b"{not json".to_vec(), 400),
            (a.clone(), br#"{"technique":"x"}"#.to_vec(), 400),
            (a.clone(), body(&t, r#","colour":"red""#), 400),
            (a.clone(), vec![b' '; 4096], 413),
        ];
        for (token, body, status) in cases {
            let refused = ballot.vote(&token, &body, now).unwrap_err();
            assert_eq!(refused.status(), status, "{refused}");
        }
        assert_eq!(ballot.voted(), 0);
    }

    #[test]
    fn a_vote_for_another_turn_is_refused_as_closed() {
        let (mut ballot, now) = open_box(Limits::default());
        let a = ballot.join("ACD347", HERE, now).unwrap();
        let stale = format!(r#"{{"turn":2,"technique":"{}"}}"#, some_technique(0));
        assert_eq!(
            ballot.vote(&a, stale.as_bytes(), now),
            Err(Refusal::RoundClosed)
        );
    }

    #[test]
    fn no_round_open_refuses_votes_and_shows_nothing() {
        let mut ballot = BallotBox::new(JoinCode::parse("ACD347").unwrap(), Limits::default());
        let now = Instant::now();
        let a = ballot.join("ACD347", HERE, now).unwrap();
        assert_eq!(
            ballot.vote(&a, &body(&some_technique(0), ""), now),
            Err(Refusal::RoundClosed)
        );
        assert_eq!(ballot.state_for(&a, now).unwrap().round, None);
        assert_eq!(ballot.tally(), None);
    }

    #[test]
    fn a_device_flooding_votes_is_held_back_until_its_allowance_refills() {
        let limits = Limits {
            vote_burst: 3,
            vote_refill: Duration::from_secs(1),
            ..Limits::default()
        };
        let (mut ballot, now) = open_box(limits);
        let a = ballot.join("ACD347", HERE, now).unwrap();
        let t = some_technique(0);
        for _ in 0..3 {
            ballot.vote(&a, &body(&t, ""), now).unwrap();
        }
        let refused = ballot.vote(&a, &body(&t, ""), now).unwrap_err();
        assert_eq!(refused.status(), 429);
        // Half a refill is not enough; a whole one is.
        let later = now + Duration::from_millis(500);
        assert_eq!(
            ballot.vote(&a, &body(&t, ""), later),
            Err(Refusal::Flooding)
        );
        ballot
            .vote(&a, &body(&t, ""), now + Duration::from_millis(1600))
            .unwrap();
        // Another device is not held back by the first.
        let b = ballot.join("ACD347", HERE, now).unwrap();
        ballot.vote(&b, &body(&t, ""), now).unwrap();
        assert_eq!(ballot.voted(), 2);
    }

    #[test]
    fn a_device_reading_the_round_too_fast_is_held_back_and_its_vote_still_counts() {
        let limits = Limits {
            read_burst: 4,
            read_refill: Duration::from_millis(250),
            ..Limits::default()
        };
        let (mut ballot, now) = open_box(limits);
        let a = ballot.join("ACD347", HERE, now).unwrap();
        for _ in 0..4 {
            ballot.state_for(&a, now).unwrap();
        }
        let refused = ballot.state_for(&a, now).unwrap_err();
        assert_eq!(refused, Refusal::Flooding);
        assert_eq!(refused.status(), 429);
        // Reading too fast does not take the device's votes away, nor another's reads.
        ballot.vote(&a, &body(&some_technique(0), ""), now).unwrap();
        let b = ballot.join("ACD347", HERE, now).unwrap();
        ballot.state_for(&b, now).unwrap();
        // A page asking every 2 s is never held back.
        let mut at = now;
        for _ in 0..20 {
            at += Duration::from_secs(2);
            ballot.state_for(&a, at).unwrap();
        }
    }

    #[test]
    fn an_address_guessing_codes_is_held_back_and_others_are_not() {
        let limits = Limits {
            code_guesses: 3,
            code_guess_refill: Duration::from_secs(10),
            max_guessers: 2,
            ..Limits::default()
        };
        let (mut ballot, now) = open_box(limits);
        for _ in 0..3 {
            assert_eq!(ballot.join("WRONG1", HERE, now), Err(Refusal::BadCode));
        }
        let refused = ballot.join("WRONG1", HERE, now).unwrap_err();
        assert_eq!(refused.status(), 429);
        // Held back even with the right code, until one guess has refilled.
        assert_eq!(ballot.join("ACD347", HERE, now), Err(Refusal::Flooding));
        ballot
            .join("ACD347", HERE, now + Duration::from_secs(11))
            .unwrap();
        // Another address is not held back by the first, and a right code costs nothing.
        let other: IpAddr = "192.168.1.21".parse().unwrap();
        for _ in 0..5 {
            ballot.join("ACD347", other, now).unwrap();
        }
        // The table of guessers is bounded: a third guessing address while two are held
        // back is refused; once their allowances are whole they are forgotten.
        assert_eq!(ballot.join("WRONG1", other, now), Err(Refusal::BadCode));
        let third: IpAddr = "192.168.1.22".parse().unwrap();
        assert_eq!(ballot.join("WRONG1", third, now), Err(Refusal::Flooding));
        let later = now + Duration::from_secs(60);
        assert_eq!(ballot.join("WRONG1", third, later), Err(Refusal::BadCode));
    }

    #[test]
    fn the_palette_is_the_catalogue_grouped_by_school() {
        let catalogue = Catalogue::builtin();
        let view = RoundView::new(1, "Dan", "Hi.", &[], &catalogue);
        let listed: usize = view.palette.iter().map(|s| s.techniques.len()).sum();
        assert_eq!(listed, catalogue.techniques.len());
        assert_eq!(view.palette.len(), catalogue.schools().len());
        let fields: Vec<&str> = view.adaptations.iter().map(|a| a.field).collect();
        assert_eq!(fields, ["directiveness", "focus", "pacing", "framing"]);
        assert_eq!(view.adaptations[0].options[0].0, "AskPermission");
    }
}
