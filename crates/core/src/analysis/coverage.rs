//! Which of the scenario's content was reached: response lines (by id), events and key
//! moments, counted over the turns of played sessions.

use std::collections::HashMap;

use crate::engine::PreparedScenario;
use crate::model::TurnFlag;
use crate::scoring::TurnOutcome;

/// The scenario's content ids, indexed once so counting a turn is a few lookups.
pub struct ContentIndex {
    responses: HashMap<String, usize>,
    techniques: HashMap<String, usize>,
    events: HashMap<String, usize>,
    moments: HashMap<String, usize>,
}

impl ContentIndex {
    pub fn new(prepared: &PreparedScenario) -> ContentIndex {
        let s = &prepared.scenario;
        // The first of two equal ids wins; `attune check` reports duplicates.
        let index = |ids: Vec<&String>| {
            let mut map = HashMap::with_capacity(ids.len());
            for (i, id) in ids.into_iter().enumerate() {
                map.entry(id.clone()).or_insert(i);
            }
            map
        };
        ContentIndex {
            responses: index(s.responses.iter().map(|r| &r.id).collect()),
            techniques: index(prepared.techniques.iter().map(|t| &t.id).collect()),
            events: index(s.events.iter().map(|e| &e.id).collect()),
            moments: index(s.key_moments.iter().map(|m| &m.id).collect()),
        }
    }
}

/// How often one piece of content was reached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reach {
    /// Turns on which it was said or fired.
    pub turns: u64,
    /// Sessions in which it was reached at least once.
    pub sessions: u64,
    /// For a response line: the lowest and highest fit of a move that drew it, and the
    /// technique (by prepared index) of each, so a line's reaction can be checked against
    /// the score (`agreement`).
    pub fit_low: f32,
    pub fit_high: f32,
    pub low_technique: u32,
    pub high_technique: u32,
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            turns: 0,
            sessions: 0,
            fit_low: f32::INFINITY,
            fit_high: f32::NEG_INFINITY,
            low_technique: 0,
            high_technique: 0,
        }
    }
}

impl Reach {
    fn note_fit(&mut self, fit: f32, technique: u32) {
        if fit < self.fit_low {
            self.fit_low = fit;
            self.low_technique = technique;
        }
        if fit > self.fit_high {
            self.fit_high = fit;
            self.high_technique = technique;
        }
    }

    fn merge(&mut self, other: &Reach) {
        self.turns += other.turns;
        self.sessions += other.sessions;
        if other.fit_low < self.fit_low {
            self.fit_low = other.fit_low;
            self.low_technique = other.low_technique;
        }
        if other.fit_high > self.fit_high {
            self.fit_high = other.fit_high;
            self.high_technique = other.high_technique;
        }
    }
}

/// Counts per response line, event and key moment, in the scenario's order.
#[derive(Clone, Debug, PartialEq)]
pub struct ContentTally {
    pub responses: Vec<Reach>,
    pub events: Vec<Reach>,
    pub moments: Vec<Reach>,
    /// The session each entry was last counted in, so a session counts once.
    last_session: [Vec<u64>; 3],
    session: u64,
}

impl ContentTally {
    pub fn new(prepared: &PreparedScenario) -> ContentTally {
        let s = &prepared.scenario;
        let (r, e, m) = (s.responses.len(), s.events.len(), s.key_moments.len());
        ContentTally {
            responses: vec![Reach::default(); r],
            events: vec![Reach::default(); e],
            moments: vec![Reach::default(); m],
            last_session: [vec![u64::MAX; r], vec![u64::MAX; e], vec![u64::MAX; m]],
            session: 0,
        }
    }

    /// Starts counting a new session.
    pub fn next_session(&mut self) {
        self.session += 1;
    }

    pub fn record(&mut self, index: &ContentIndex, turn: &TurnOutcome) {
        let session = self.session;
        let mut count = |kind: usize, i: Option<&usize>, reach: &mut [Reach]| {
            let Some(&i) = i else { return };
            reach[i].turns += 1;
            if self.last_session[kind][i] != session {
                self.last_session[kind][i] = session;
                reach[i].sessions += 1;
            }
        };
        let response = index.responses.get(&*turn.response_id);
        count(0, response, &mut self.responses);
        if let Some(&i) = response {
            let technique = index
                .techniques
                .get(turn.choice.technique.as_str())
                .map_or(0, |&t| t as u32);
            self.responses[i].note_fit(turn.fit.score, technique);
        }
        for flag in &turn.flags {
            match flag {
                TurnFlag::Event { id } => count(1, index.events.get(id.as_str()), &mut self.events),
                TurnFlag::KeyMoment { id } => {
                    count(2, index.moments.get(id.as_str()), &mut self.moments)
                }
                _ => {}
            }
        }
    }

    pub fn record_session(&mut self, index: &ContentIndex, turns: &[TurnOutcome]) {
        self.next_session();
        for t in turns {
            self.record(index, t);
        }
    }

    /// Adds another tally's counts (of other sessions) to this one.
    pub fn merge(&mut self, other: &ContentTally) {
        for (mine, theirs) in [
            (&mut self.responses, &other.responses),
            (&mut self.events, &other.events),
            (&mut self.moments, &other.moments),
        ] {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.merge(b);
            }
        }
    }
}
