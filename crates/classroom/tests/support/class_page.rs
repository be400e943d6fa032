//! The class vote's page (assets/classroom/) as a student uses it, step by step, in a real
//! browser: join with the code, search the palette, pick a technique, choose how to say it,
//! vote. Each step waits for the page to show its result, so a broken page fails in seconds.
//!
//! For an end-to-end test of the app: start a [`Browser`], then
//! [`join_and_vote`]`(&browser, &url, &code, &StudentVote { search: "reflection", technique:
//! "Complex reflection", adaptations: &[("directiveness", "AskPermission")] })`. The root
//! package's test suite can include this module and its sibling beside each other:
//!
//! ```ignore
//! #[path = "../../crates/classroom/tests/support/webdriver.rs"]
//! mod webdriver;
//! #[path = "../../crates/classroom/tests/support/class_page.rs"]
//! mod class_page;
//! ```

// Each test uses a part of it.
#![allow(dead_code)]

use serde_json::{Value, json};

use super::webdriver::{Browser, WAIT};

/// One student's vote as they would make it on the page.
#[derive(Debug, Clone, Copy)]
pub struct StudentVote<'a> {
    /// What they type in the palette's search box first ("" to search nothing).
    pub search: &'a str,
    /// The technique's name as the palette shows it ("Complex reflection").
    pub technique: &'a str,
    /// Adaptations chosen: the field and the value sent (`("pacing", "Slower")`); the others
    /// stay as the page sets them ("As is").
    pub adaptations: &'a [(&'a str, &'a str)],
}

/// Opens the page at `url` and joins with `code`; returns once the round (the client's line)
/// is shown.
pub fn join(browser: &Browser, url: &str, code: &str) {
    browser.navigate(url);
    let field = browser.find("#code");
    browser.wait_for("the join form to be shown", || {
        browser.is_displayed(&field).then_some(())
    });
    browser.send_keys(&field, code);
    browser.click(&browser.find("#join button[type=submit]"));
    let line = browser.find("#line");
    browser.wait_for("the client's line after joining", || {
        (browser.is_displayed(&line) && !browser.text(&line).is_empty()).then_some(())
    });
}

/// Types `text` into the palette's search box (emptied first); returns the names of the
/// techniques still shown, in the palette's order.
pub fn search(browser: &Browser, text: &str) -> Vec<String> {
    let field = browser.find("#search");
    browser.clear(&field);
    if !text.is_empty() {
        browser.send_keys(&field, text);
    }
    shown_techniques(browser)
}

/// The names of the techniques the palette shows now, in its order.
pub fn shown_techniques(browser: &Browser) -> Vec<String> {
    let names = browser.execute(
        "return [...document.querySelectorAll('#palette .technique')]
            .filter((t) => t.offsetParent !== null)
            .map((t) => t.querySelector('input').nextSibling.textContent.trim());",
        vec![],
    );
    serde_json::from_value(names).expect("a list of names")
}

/// The school headings the palette shows now, in its order.
pub fn shown_schools(browser: &Browser) -> Vec<String> {
    let names = browser.execute(
        "return [...document.querySelectorAll('#palette .school')]
            .filter((s) => s.offsetParent !== null)
            .map((s) => s.querySelector('h2').textContent.trim());",
        vec![],
    );
    serde_json::from_value(names).expect("a list of names")
}

/// Picks the technique the palette shows as `name` (it must be shown: search first).
pub fn pick(browser: &Browser, name: &str) {
    let index = shown_techniques_index(browser, name);
    let labels = browser.find_all("#palette .technique");
    browser.click(&labels[index]);
    let checked = browser.execute(
        "return arguments[0].querySelector('input').checked;",
        vec![labels[index].to_json()],
    );
    assert_eq!(checked, true, "{name} is picked after the click");
}

fn shown_techniques_index(browser: &Browser, name: &str) -> usize {
    let index = browser.execute(
        "return [...document.querySelectorAll('#palette .technique')].findIndex((t) =>
            t.offsetParent !== null
            && t.querySelector('input').nextSibling.textContent.trim() === arguments[0]);",
        vec![json!(name)],
    );
    match index.as_i64() {
        Some(i) if i >= 0 => i as usize,
        _ => panic!(
            "the palette shows no technique {name:?}; it shows {:?}",
            shown_techniques(browser)
        ),
    }
}

/// Chooses `value` (the value sent, `"Slower"`) for the adaptation `field` (`"pacing"`).
pub fn adapt(browser: &Browser, field: &str, value: &str) {
    let option = browser.find(&format!("#a-{field} option[value=\"{value}\"]"));
    browser.click(&option);
    let chosen = browser.execute(
        "return document.getElementById('a-' + arguments[0]).value;",
        vec![json!(field)],
    );
    assert_eq!(chosen, value, "{field} is {value} after choosing it");
}

/// Presses the vote button; returns once the page shows the vote was counted as `technique`.
pub fn send_vote(browser: &Browser, technique: &str) {
    browser.click(&browser.find("#send"));
    browser.wait_for_text("#message", &format!("Vote counted: {technique}."));
    browser.wait_for_text("#yours", &format!("Your vote: {technique}"));
}

/// Joins the class at `url` with `code` and votes as `vote` says; returns once the page shows
/// the vote was counted.
pub fn join_and_vote(browser: &Browser, url: &str, code: &str, vote: &StudentVote) {
    join(browser, url, code);
    vote_again(browser, vote);
}

/// Votes as `vote` says on a page that has joined already (a first vote or a changed one).
pub fn vote_again(browser: &Browser, vote: &StudentVote) {
    let shown = search(browser, vote.search);
    assert!(
        shown.iter().any(|t| t == vote.technique),
        "searching {:?} shows {shown:?}, not {:?}",
        vote.search,
        vote.technique
    );
    pick(browser, vote.technique);
    for (field, value) in vote.adaptations {
        adapt(browser, field, value);
    }
    send_vote(browser, vote.technique);
}

/// Waits until the page says the vote is closed (it reads the round every 2 s).
pub fn wait_until_closed(browser: &Browser) {
    let closed = browser.find("#closed");
    browser.wait_for(
        &format!("the page to say the vote is closed (within {WAIT:?})"),
        || browser.is_displayed(&closed).then_some(()),
    );
}

/// Sends `vote` (the API's JSON) from the page itself, with its device's cookie, as its
/// script would; returns the server's status and answer. For what the page's buttons no
/// longer offer, such as a vote after the round closed.
pub fn post_vote_from_page(browser: &Browser, vote: &Value) -> (u16, Value) {
    let reply = browser.execute_async(
        "const response = await fetch('api/vote', { method: 'POST', credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args[0]) });
         return { status: response.status, body: await response.json().catch(() => null) };",
        vec![vote.clone()],
    );
    let status = reply["status"]
        .as_u64()
        .unwrap_or_else(|| panic!("the page could not send a vote: {reply}"));
    (status as u16, reply["body"].clone())
}
