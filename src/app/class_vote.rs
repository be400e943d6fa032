//! The class vote as the app holds it: nothing until the instructor opens voting on the
//! projector, then a fresh join code, a ballot box shared with the page's server (on its own
//! thread, bound to the one address chosen) and a round on the turn about to be played. The
//! projector screen's handler opens, closes and stops it and keeps its round on the
//! session's turn (`screens::projector`); dropping it stops the server, so leaving the
//! projector or quitting the app closes the port.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};

use attune_classroom::ballot::{BallotBox, JoinCode, Limits, RoundView, Tally};
use attune_classroom::interfaces::Interface;
use attune_classroom::invitation::{self, QrMatrix};
use attune_classroom::server::{ClassServer, SharedBallot};
use bevy::prelude::*;

use crate::analysis::{ClassRound, VotedMove};
use crate::engine::Session;
use crate::model::Catalogue;

/// The port the vote's page is offered on first (an unprivileged port no common service
/// uses), so the address on the projector stays the same from one lesson to the next; any
/// free port when it is taken.
pub const PORT: u16 = 8470;

/// The class vote of the projector screen.
#[derive(Resource, Default)]
pub struct ClassVote {
    /// The vote under way; none until the instructor opens voting.
    pub voting: Option<Voting>,
    /// Why voting could not be opened, shown on the projector.
    pub problem: Option<String>,
    /// The addresses voting can be opened on, read when the projector opens.
    pub interfaces: Vec<Interface>,
}

/// An open class vote: its server, ballot box and round.
pub struct Voting {
    ballot: SharedBallot,
    server: ClassServer,
    /// The page's address as shown, and the one the QR code carries (with the code).
    pub page: String,
    pub qr: Option<QrMatrix>,
    pub code: String,
    /// The turn the ballot's round is on (0 before the first round).
    pub turn: u32,
    /// The round's tally as it was closed; none while it takes votes.
    pub closed: Option<Tally>,
    /// The fits of the class's choices are shown.
    pub fits_shown: bool,
}

impl Voting {
    /// Opens voting on `ip` with a fresh join code: on [`PORT`], or any free port.
    pub fn open(ip: IpAddr) -> std::io::Result<Voting> {
        let code = JoinCode::random();
        let ballot: SharedBallot =
            Arc::new(Mutex::new(BallotBox::new(code.clone(), Limits::default())));
        let server = ClassServer::start(SocketAddr::new(ip, PORT), Arc::clone(&ballot))
            .or_else(|_| ClassServer::start(SocketAddr::new(ip, 0), Arc::clone(&ballot)))?;
        let address = server.address();
        Ok(Voting {
            page: invitation::page_address(address),
            qr: QrMatrix::of(&invitation::scan_address(address, &code)),
            code: code.as_str().to_string(),
            ballot,
            server,
            turn: 0,
            closed: None,
            fits_shown: false,
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    fn ballot(&self) -> MutexGuard<'_, BallotBox> {
        // The server's thread never panics holding the lock; if it did, the votes in the box
        // are still whole (each is one insert).
        self.ballot.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens a round on the next move of `session` (turn `turn`): the client's last line
    /// and cues, and the scenario's techniques as the palette.
    pub fn start_round(&mut self, session: &Session, turn: u32) {
        let prepared = session.prepared();
        let (line, cues) = match session.turns().last() {
            Some(t) => (t.client_line.to_string(), t.cues.clone()),
            None => (
                session.opening_line().to_string(),
                session
                    .opening_cue()
                    .map(str::to_string)
                    .into_iter()
                    .collect(),
            ),
        };
        let palette = Catalogue {
            techniques: prepared.techniques.clone(),
        };
        let view = RoundView::new(turn, &prepared.scenario.client.name, &line, &cues, &palette);
        self.ballot().open_round(view);
        self.turn = turn;
        self.closed = None;
        self.fits_shown = false;
    }

    /// Closes the round: its tally is kept for the projector.
    pub fn close(&mut self) {
        let mut ballot = self.ballot();
        ballot.close_round();
        let tally = ballot.tally();
        drop(ballot);
        if let Some(tally) = &tally {
            info!("{}", closed_line(tally));
        }
        self.closed = tally;
    }

    /// The round takes votes.
    pub fn is_open(&self) -> bool {
        self.ballot().is_open()
    }

    /// Devices that joined, and devices that voted in this round.
    pub fn counts(&self) -> (usize, usize) {
        let ballot = self.ballot();
        (ballot.devices(), ballot.voted())
    }

    /// The round's votes as they stand (closed or not), as the records keep them; none
    /// before the first round.
    pub fn round(&self) -> Option<ClassRound> {
        let tally = match &self.closed {
            Some(t) => t.clone(),
            None => self.ballot().tally()?,
        };
        Some(ClassRound {
            turn: tally.turn,
            voters: tally.voters,
            options: tally
                .by_vote
                .iter()
                .map(|(vote, votes)| VotedMove {
                    choice: vote.to_choice(),
                    votes: *votes,
                })
                .collect(),
        })
    }
}

/// The log line of a closed round, for a script comparing the app's count with the votes it
/// sent: `class vote closed: turn 3, 12 voters: technique=n ...`, most votes first.
pub fn closed_line(tally: &Tally) -> String {
    let mut line = format!(
        "class vote closed: turn {}, {} voters:",
        tally.turn, tally.voters
    );
    for (technique, votes) in &tally.by_technique {
        line.push_str(&format!(" {technique}={votes}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_line_names_the_turn_the_voters_and_each_technique_count() {
        let tally = Tally {
            turn: 3,
            voters: 5,
            by_vote: Vec::new(),
            by_technique: vec![("reflection".into(), 3), ("open_question".into(), 2)],
        };
        assert_eq!(
            closed_line(&tally),
            "class vote closed: turn 3, 5 voters: reflection=3 open_question=2"
        );
    }
}
