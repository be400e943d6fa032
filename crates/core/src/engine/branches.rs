//! A practice run: the live session plus the branches the trainee opened by rewinding, so
//! two ways through the same client can be compared side by side.

use std::sync::Arc;

use super::{ApplyError, PreparedScenario, Session};
use crate::model::Mode;
use crate::scenario::Choice;
use crate::scoring::TurnOutcome;

#[derive(Clone, Debug)]
pub struct Branch {
    pub session: Session,
    /// The branch this one was rewound from, and at which turn.
    pub parent: Option<(usize, usize)>,
}

#[derive(Clone, Debug)]
pub struct BranchedSession {
    pub mode: Mode,
    pub branches: Vec<Branch>,
    pub current: usize,
}

impl BranchedSession {
    pub fn new(prepared: Arc<PreparedScenario>, seed: u64, mode: Mode) -> BranchedSession {
        BranchedSession {
            mode,
            branches: vec![Branch {
                session: Session::new(prepared, seed),
                parent: None,
            }],
            current: 0,
        }
    }

    /// A run that begins with `session` before its first move: a session that continues
    /// an earlier one (`Session::continuing`).
    pub fn from_session(session: Session, mode: Mode) -> BranchedSession {
        BranchedSession {
            mode,
            branches: vec![Branch {
                session,
                parent: None,
            }],
            current: 0,
        }
    }

    pub fn session(&self) -> &Session {
        &self.branches[self.current].session
    }

    pub fn play(&mut self, choice: &Choice) -> Result<&TurnOutcome, ApplyError> {
        self.branches[self.current].session.apply(choice)
    }

    /// Opens a new branch from the current one, just after `turn` moves, and makes it
    /// current. Assessment mode has no rewind.
    pub fn rewind(&mut self, turn: usize) -> Option<usize> {
        if self.mode == Mode::Assessment {
            return None;
        }
        let mut session = self.session().clone();
        session.rewind(turn.min(session.turns().len()));
        self.branches.push(Branch {
            session,
            parent: Some((self.current, turn)),
        });
        self.current = self.branches.len() - 1;
        Some(self.current)
    }

    /// The branch's name, the same on every screen: "Original" for the first, "Branch 2
    /// from turn 4" for one whose own moves begin at turn 4 (and "of branch 1" when it was
    /// rewound from another branch than the original).
    pub fn branch_name(&self, index: usize) -> String {
        match self.branches.get(index).and_then(|b| b.parent) {
            None if index == 0 => "Original".to_string(),
            None => format!("Branch {index}"),
            Some((0, turn)) => format!("Branch {index} from turn {}", turn + 1),
            Some((parent, turn)) => {
                format!("Branch {index} from turn {} of branch {parent}", turn + 1)
            }
        }
    }

    /// How many first moves two branches share.
    pub fn shared_turns(&self, a: usize, b: usize) -> usize {
        let (Some(a), Some(b)) = (self.branches.get(a), self.branches.get(b)) else {
            return 0;
        };
        a.session
            .choices()
            .zip(b.session.choices())
            .take_while(|(x, y)| x == y)
            .count()
    }

    /// Replaces the scenario content (a hot reload) and replays every branch's choices on
    /// it. A choice the new content no longer accepts ends that branch's replay there.
    pub fn reload(&mut self, prepared: Arc<PreparedScenario>) {
        for branch in &mut self.branches {
            let choices: Vec<Choice> = branch.session.choices().cloned().collect();
            let mut session = branch.session.restarted_on(Arc::clone(&prepared));
            for choice in &choices {
                if session.apply(choice).is_err() {
                    break;
                }
            }
            branch.session = session;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Catalogue;
    use crate::scenario::parse_scenario;
    use crate::scoring::ScoringConfig;

    fn prepared() -> Arc<PreparedScenario> {
        let text = include_str!("../../../../tests/fixtures/minimal.ron");
        let catalogue = Catalogue::builtin();
        let s = parse_scenario("minimal.ron", text, &catalogue)
            .unwrap()
            .scenario;
        Arc::new(PreparedScenario::new(s, &catalogue, &ScoringConfig::builtin()).unwrap())
    }

    #[test]
    fn rewinding_opens_a_branch_and_keeps_the_original() {
        let mut run = BranchedSession::new(prepared(), 1, Mode::Practice);
        run.play(&Choice::new("complex_reflection")).unwrap();
        run.play(&Choice::new("advice_giving")).unwrap();
        assert_eq!(run.rewind(1), Some(1));
        run.play(&Choice::new("open_question")).unwrap();
        assert_eq!(
            run.branches[0].session.turns()[1].choice.technique,
            "advice_giving"
        );
        assert_eq!(run.session().turns()[1].choice.technique, "open_question");
        assert_eq!(run.branches[1].parent, Some((0, 1)));
    }

    #[test]
    fn branches_are_named_by_where_they_begin_and_share_their_first_moves() {
        let mut run = BranchedSession::new(prepared(), 1, Mode::Practice);
        for id in ["complex_reflection", "advice_giving", "open_question"] {
            run.play(&Choice::new(id)).unwrap();
        }
        run.rewind(1);
        run.play(&Choice::new("open_question")).unwrap();
        run.rewind(2);
        assert_eq!(run.branch_name(0), "Original");
        assert_eq!(run.branch_name(1), "Branch 1 from turn 2");
        assert_eq!(run.branch_name(2), "Branch 2 from turn 3 of branch 1");
        assert_eq!(run.shared_turns(0, 1), 1);
        assert_eq!(run.shared_turns(1, 2), 2);
        assert_eq!(run.shared_turns(0, 0), 3);
    }

    #[test]
    fn assessment_mode_has_no_rewind() {
        let mut run = BranchedSession::new(prepared(), 1, Mode::Assessment);
        run.play(&Choice::new("complex_reflection")).unwrap();
        assert_eq!(run.rewind(0), None);
        assert_eq!(run.branches.len(), 1);
    }
}
