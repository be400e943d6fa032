//! The class vote in the headless app, over real HTTP: the instructor opens voting on the
//! projector, students join with the code and vote (and change their votes), the projector's
//! count and the class's choices are what they sent, the instructor plays the top choice and
//! the round is kept with the run, a new round follows the session, and stopping the vote or
//! leaving the projector closes the port. And with voting never opened, no socket at all.

use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

use attune::app::class_vote::ClassVote;
use attune::app::screens::debrief_view;
use attune::app::screens::projector::vote_view;
use attune::app::{Practice, Screen};
use attune::ui::UiAction;
use attune::ui::class_vote::ClassVoteView;
use bevy::prelude::App;
use serde_json::Value;

use crate::app::{headless_app_with, screen, send, update_until};
use crate::common;

#[path = "../../crates/classroom/tests/support/mod.rs"]
mod http;

const DAN: &str = "scenarios/dan-mandated-anger.ron";

/// The headless app on Dan's classroom session, with records in a folder of its own.
fn classroom(name: &str) -> App {
    let records = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("class-vote-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&records);
    let mut app = headless_app_with(
        &common::root().join("scenarios"),
        false,
        records.join("records.sqlite"),
    );
    update_until(&mut app, "Dan's scenario", |w| {
        w.resource::<attune::app::ScenarioLibrary>()
            .get(DAN)
            .is_some_and(|e| e.scenario.is_some())
    });
    send(&mut app, UiAction::OpenBriefing(DAN.into()));
    send(&mut app, UiAction::StartClassroom { seed: 7 });
    assert_eq!(screen(&app), Screen::Projector);
    app
}

fn voting(app: &App) -> Option<(SocketAddr, String, u32)> {
    let vote = app.world().resource::<ClassVote>();
    vote.voting
        .as_ref()
        .map(|v| (v.address(), v.code.clone(), v.turn))
}

fn refuses_connections(address: SocketAddr) -> bool {
    TcpStream::connect_timeout(&address, Duration::from_millis(300)).is_err()
}

/// A student joins with `code` and gets their cookie.
fn join(address: SocketAddr, code: &str) -> String {
    let reply = http::send(
        address,
        "POST",
        "/api/join",
        None,
        format!(r#"{{"code":"{}"}}"#, code.to_lowercase()).as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.cookie()
}

fn vote(address: SocketAddr, cookie: &str, turn: u32, technique: &str, extra: &str) -> u16 {
    let body = format!(r#"{{"turn":{turn},"technique":"{technique}"{extra}}}"#);
    http::send(address, "POST", "/api/vote", Some(cookie), body.as_bytes()).status
}

fn round(address: SocketAddr, cookie: &str) -> Value {
    let reply = http::send(address, "GET", "/api/round", Some(cookie), b"");
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

/// The class's choices on the panel: technique, votes and fit.
type Choices = Vec<(String, usize, Option<f32>)>;

/// The projector's vote panel as drawn now: how many voted, whether the round is open, and
/// the class's choices.
fn panel(app: &App) -> (usize, bool, Choices) {
    let world = app.world();
    let practice = world.resource::<Practice>();
    let session = practice.run.as_ref().unwrap().run.session();
    match vote_view(world.resource::<ClassVote>(), session) {
        ClassVoteView::Open(v) => (
            v.voted,
            v.open,
            v.options
                .iter()
                .map(|o| (o.choice.technique.clone(), o.votes, o.fit))
                .collect(),
        ),
        ClassVoteView::Closed { .. } => panic!("the vote is not open"),
    }
}

#[test]
fn a_class_votes_over_http_and_the_instructor_plays_the_top_choice_which_is_kept_with_the_run() {
    let mut app = classroom("flow");
    assert!(
        voting(&app).is_none(),
        "nothing is open before the instructor asks"
    );

    send(&mut app, UiAction::OpenVoting("127.0.0.1".parse().unwrap()));
    let (address, code, turn) = voting(&app).expect("voting is open");
    assert_eq!(turn, 1, "the round is on the first move");
    assert_eq!(code.len(), 6);

    // Six students: three for an open question, two for a slower complex reflection, and one
    // who first chose a confrontation and then changed to the open question.
    let students: Vec<String> = (0..6).map(|_| join(address, &code)).collect();
    let state = round(address, &students[0]);
    assert_eq!(state["open"], true);
    assert_eq!(state["round"]["turn"], 1);
    assert_eq!(state["round"]["client"], "Dan Mercer");
    for s in &students[..3] {
        assert_eq!(vote(address, s, 1, "open_question", ""), 200);
    }
    for s in &students[3..5] {
        assert_eq!(
            vote(address, s, 1, "complex_reflection", r#","pacing":"Slower""#),
            200
        );
    }
    assert_eq!(vote(address, &students[5], 1, "confrontation", ""), 200);
    assert_eq!(vote(address, &students[5], 1, "open_question", ""), 200);
    // Refused and not counted: no code, a technique not in the palette, an adaptation that
    // is not one, the wrong turn, an oversized or malformed body, a flood from one device.
    assert_eq!(
        vote(address, "attune_token=0000", 1, "open_question", ""),
        401
    );
    assert_eq!(vote(address, &students[0], 1, "telepathy", ""), 404);
    assert_eq!(
        vote(
            address,
            &students[1],
            1,
            "open_question",
            r#","pacing":"Sideways""#
        ),
        404
    );
    assert_eq!(vote(address, &students[2], 2, "open_question", ""), 409);
    let huge = format!(r#"{{"turn":1,"technique":"{}"}}"#, "x".repeat(4096));
    let post = |cookie: &str, body: &[u8]| {
        http::send(address, "POST", "/api/vote", Some(cookie), body).status
    };
    assert_eq!(post(&students[3], huge.as_bytes()), 413);
    assert_eq!(post(&students[4], br#"{"turn": 1, "technique":"#), 400);
    let flooder = join(address, &code);
    let statuses: Vec<u16> = (0..12)
        .map(|_| vote(address, &flooder, 1, "confrontation", ""))
        .collect();
    assert!(
        statuses.contains(&429),
        "a device voting a dozen times at once is held back: {statuses:?}"
    );
    // Its vote counts once, changed like anyone's once it is allowed again.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(vote(address, &flooder, 1, "open_question", ""), 200);

    app.update();
    let (voted, open, options) = panel(&app);
    assert_eq!(
        (voted, open),
        (7, true),
        "six students and the flooder, once each"
    );
    assert!(
        options.is_empty(),
        "the choices are shown only once the vote closes"
    );

    send(&mut app, UiAction::CloseVote);
    assert_eq!(vote(address, &students[0], 1, "confrontation", ""), 409);
    let (voted, open, options) = panel(&app);
    assert_eq!((voted, open), (7, false));
    let counts: Vec<(&str, usize)> = options.iter().map(|(t, n, _)| (t.as_str(), *n)).collect();
    assert_eq!(
        counts,
        vec![("open_question", 5), ("complex_reflection", 2)]
    );
    // Each choice's fit is the engine's preview from the state the class voted on.
    let session_fit = |id: &str, pacing: bool| {
        let world = app.world();
        let practice = world.resource::<Practice>();
        let mut choice = common::choice(id);
        if pacing {
            choice.pacing = attune::scenario::Pacing::Slower;
        }
        practice
            .run
            .as_ref()
            .unwrap()
            .run
            .session()
            .preview_fit(&choice)
            .unwrap()
            .score
    };
    assert_eq!(options[0].2, Some(session_fit("open_question", false)));
    assert_eq!(options[1].2, Some(session_fit("complex_reflection", true)));

    send(&mut app, UiAction::RevealFits);
    assert!(
        app.world()
            .resource::<ClassVote>()
            .voting
            .as_ref()
            .unwrap()
            .fits_shown
    );

    // The instructor plays the class's top choice.
    send(&mut app, UiAction::Play(common::choice("open_question")));
    let practice = app.world().resource::<Practice>();
    let run = &practice.run.as_ref().unwrap().run;
    assert_eq!(run.session().turns().len(), 1);
    assert_eq!(run.session().turns()[0].choice.technique, "open_question");
    assert_eq!(
        practice.class_rounds.len(),
        1,
        "the round is kept with the run"
    );
    let kept = &practice.class_rounds[0];
    assert_eq!((kept.turn, kept.voters), (1, 7));
    let kept: Vec<(&str, usize)> = kept
        .options
        .iter()
        .map(|o| (o.choice.technique.as_str(), o.votes))
        .collect();
    assert_eq!(kept, vec![("open_question", 5), ("complex_reflection", 2)]);

    // A new round follows the session, with the client's answer.
    let state = round(address, &students[0]);
    assert_eq!(
        (state["open"].clone(), state["round"]["turn"].clone()),
        (true.into(), 2.into())
    );
    let line = run.session().turns()[0].client_line.to_string();
    assert_eq!(state["round"]["line"], line.as_str());
    assert_eq!(
        state["your_vote"],
        Value::Null,
        "a new round starts with no votes"
    );

    // Stopping closes the port; opening again is a new class with a fresh code.
    send(&mut app, UiAction::StopVoting);
    assert!(voting(&app).is_none());
    assert!(refuses_connections(address), "the port is closed");
    send(&mut app, UiAction::OpenVoting("127.0.0.1".parse().unwrap()));
    let (address, second_code, _) = voting(&app).unwrap();
    assert_ne!(second_code, code, "a fresh join code");
    assert_eq!(vote(address, &students[0], 2, "open_question", ""), 401);

    // Leaving the projector stops the vote.
    send(&mut app, UiAction::EndSession);
    assert_eq!(screen(&app), Screen::Debrief);
    assert!(voting(&app).is_none());
    assert!(
        refuses_connections(address),
        "the port is closed after the session"
    );
}

#[test]
fn a_round_nobody_voted_on_is_not_kept_and_voting_outside_a_classroom_session_opens_nothing() {
    let mut app = classroom("empty");
    send(&mut app, UiAction::OpenVoting("127.0.0.1".parse().unwrap()));
    let (address, _, _) = voting(&app).unwrap();
    send(
        &mut app,
        UiAction::Play(common::choice("complex_reflection")),
    );
    assert!(app.world().resource::<Practice>().class_rounds.is_empty());
    send(&mut app, UiAction::EndSession);
    assert!(refuses_connections(address));

    // A practice session at the desk: the vote is the projector's only.
    send(&mut app, UiAction::BackToLibrary);
    send(&mut app, UiAction::OpenBriefing(DAN.into()));
    send(
        &mut app,
        UiAction::Start {
            mode: attune::model::Mode::Practice,
            seed: 7,
        },
    );
    send(&mut app, UiAction::OpenVoting("127.0.0.1".parse().unwrap()));
    assert!(
        voting(&app).is_none(),
        "no vote outside a classroom session"
    );
}

/// The sockets this process has open, from its file descriptors.
fn open_sockets() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .expect("Linux's /proc")
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count()
}

/// Set for the child process `with_voting_never_opened_the_app_opens_no_socket` runs.
const CHILD: &str = "ATTUNE_SOCKET_CHECK_CHILD";

/// Run by `with_voting_never_opened_the_app_opens_no_socket` in a process of its own (other
/// tests in this process open sockets); does nothing unless asked to.
#[test]
fn no_socket_child() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    assert_eq!(open_sockets(), 0, "no socket before the app");
    let mut app = classroom("sockets");
    // A whole classroom session played and its debrief opened, voting never opened.
    for id in [
        "complex_reflection",
        "open_question",
        "rolling_with_resistance",
    ] {
        send(&mut app, UiAction::Play(common::choice(id)));
    }
    send(&mut app, UiAction::EndSession);
    assert_eq!(screen(&app), Screen::Debrief);
    assert_eq!(open_sockets(), 0, "no socket while voting was never opened");
    // The count sees the vote's socket, and its end.
    send(&mut app, UiAction::Rewind(0));
    send(&mut app, UiAction::OpenVoting("127.0.0.1".parse().unwrap()));
    assert!(open_sockets() >= 1, "the vote's server listens");
    send(&mut app, UiAction::StopVoting);
    let closed = std::time::Instant::now();
    while open_sockets() > 0 && closed.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(open_sockets(), 0, "stopping the vote closes its socket");
    println!("socket check passed");
}

#[test]
fn with_voting_never_opened_the_app_opens_no_socket() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "class_vote::no_socket_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && text.contains("socket check passed"),
        "the child process failed:\n{}",
        text.chars()
            .rev()
            .take(4000)
            .collect::<String>()
            .chars()
            .rev()
            .collect::<String>()
    );
}

#[path = "../../crates/classroom/tests/support/class_page.rs"]
mod class_page;
#[path = "../../crates/classroom/tests/support/webdriver.rs"]
mod webdriver;

/// The whole class in a real browser: the app (headless) opens voting; a phone in headless
/// Chromium opens the page, enters the code, searches and votes; four more students vote
/// over HTTP; the projector's count and choices equal what was sent; the instructor plays the
/// top choice, which the phone's page follows to the next turn; the round is kept with the run.
#[test]
fn a_phone_in_a_real_browser_and_students_over_http_vote_and_the_instructor_plays_the_top_choice() {
    let mut app = classroom("browser");
    send(&mut app, UiAction::OpenVoting("127.0.0.1".parse().unwrap()));
    let (address, code, _) = voting(&app).unwrap();
    let page = app
        .world()
        .resource::<ClassVote>()
        .voting
        .as_ref()
        .unwrap()
        .page
        .clone();

    let browser = webdriver::Browser::phone();
    class_page::join_and_vote(
        &browser,
        &page,
        &code,
        &class_page::StudentVote {
            search: "reflection",
            technique: "Complex reflection",
            adaptations: &[("pacing", "Slower")],
        },
    );
    let shot = browser.screenshot();
    let (width, height, drawn) = webdriver::png_summary(&shot);
    assert!(drawn && (width, height) == (390, 844), "{width}x{height}");
    std::fs::write(
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("class-vote-phone.png"),
        shot,
    )
    .unwrap();

    for (technique, extra) in [
        ("complex_reflection", r#","pacing":"Slower""#),
        ("complex_reflection", r#","pacing":"Slower""#),
        ("open_question", ""),
        ("open_question", ""),
    ] {
        let student = join(address, &code);
        assert_eq!(vote(address, &student, 1, technique, extra), 200);
    }
    app.update();
    assert_eq!(panel(&app).0, 5, "the projector counts every device's vote");
    send(&mut app, UiAction::CloseVote);
    class_page::wait_until_closed(&browser);
    let (voted, _, options) = panel(&app);
    let counts: Vec<(&str, usize)> = options.iter().map(|(t, n, _)| (t.as_str(), *n)).collect();
    assert_eq!(
        (voted, counts),
        (5, vec![("complex_reflection", 3), ("open_question", 2)])
    );

    // The instructor plays the class's top choice, with the adaptation the class chose.
    let top = {
        let world = app.world();
        let practice = world.resource::<Practice>();
        match vote_view(
            world.resource::<ClassVote>(),
            practice.run.as_ref().unwrap().run.session(),
        ) {
            ClassVoteView::Open(v) => v.options[0].choice.clone(),
            ClassVoteView::Closed { .. } => unreachable!(),
        }
    };
    assert_eq!(top.pacing, attune::scenario::Pacing::Slower);
    send(&mut app, UiAction::Play(top.clone()));
    let practice = app.world().resource::<Practice>();
    let session = practice.run.as_ref().unwrap().run.session();
    assert_eq!(session.turns()[0].choice, top);
    let answer = session.turns()[0].client_line.to_string();
    let kept = &practice.class_rounds[0];
    assert_eq!((kept.turn, kept.voters, kept.options[0].votes), (1, 5, 3));

    // The phone's page follows the session to its next turn (it reads the round every 2 s).
    browser.wait_for("the phone to show the client's answer", || {
        let line = browser.text(&browser.find("#line"));
        line.contains(answer.trim_matches('"')).then_some(())
    });
    drop(browser);
    send(&mut app, UiAction::EndSession);
    assert!(refuses_connections(address));

    // The class debrief lists the distribution beside each move's fit and the move played.
    assert_eq!(screen(&app), Screen::Debrief);
    let practice = app.world().resource::<Practice>();
    let run = &practice.run.as_ref().unwrap().run;
    let job = attune::analysis::BestMovesJob::start(run.session(), || {});
    job.wait();
    let votes = debrief_view::ClassVotes {
        rounds: &practice.class_rounds,
        export: None,
    };
    let view = debrief_view::view(run, None, &job, false, votes);
    let class = view.class.expect("the class debrief");
    let turn = &class.turns[0];
    let listed: Vec<(&str, usize, bool)> = turn
        .options
        .iter()
        .map(|o| (o.words.as_str(), o.votes, o.played))
        .collect();
    assert_eq!(
        listed,
        vec![
            ("Complex reflection (slower)", 3, true),
            ("Open question", 2, false)
        ]
    );
    assert!(turn.played_was_top && turn.best.is_some());

    // And the records keep them with the attempt.
    let db = app
        .world()
        .resource::<attune::app::Records>()
        .path
        .clone()
        .unwrap();
    drop(app);
    let store = attune::records::Store::open_read_only(&db).unwrap();
    let id = store.results().unwrap()[0].attempt_id.clone().unwrap();
    let saved = store.class_rounds(&id).unwrap();
    assert_eq!((saved.len(), saved[0].voters), (1, 5));
}
