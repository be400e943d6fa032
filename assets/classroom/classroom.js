// Attune's class vote page: join with the code, then poll the round every two seconds;
// draw the palette once per turn (so a choice in progress is kept), vote and change the
// vote until the instructor closes it. Plain JavaScript, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
let shownTurn = null;

// The status line under the vote button: a refusal in red-brown, a counted vote or a closed
// round in the page's own colour, so a student can tell them apart at a glance.
function say(text, kind) {
  $("message").textContent = text || "";
  $("message").className = text ? kind || "error" : "";
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, { credentials: "same-origin", ...options });
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

function element(tag, props, children) {
  const { dataset, ...rest } = props || {};
  const node = Object.assign(document.createElement(tag), rest);
  Object.assign(node.dataset, dataset || {});
  for (const child of children || []) node.append(child);
  return node;
}

function drawRound(round) {
  $("client").textContent = round.client + " says:";
  $("line").textContent = round.line;
  $("cues").replaceChildren(...round.cues.map((c) => element("li", { textContent: c })));
  const palette = round.palette.map((school) => element("div", { className: "school" }, [
    element("h2", { textContent: school.label }),
    ...school.techniques.map((t) => element("label", {
      className: "technique", dataset: { search: (t.name + " " + t.description + " " + school.label).toLowerCase() },
    }, [
      element("input", { type: "radio", name: "technique", value: t.id, required: true }),
      t.name,
      element("small", { textContent: t.description }),
    ])),
  ]));
  $("palette").replaceChildren(...palette);
  const fields = round.adaptations.map((a) => element("div", { className: "adaptation" }, [
    element("label", { htmlFor: "a-" + a.field, textContent: a.label }),
    element("select", { id: "a-" + a.field, name: a.field },
      a.options.map(([value, label]) => element("option", { value, textContent: label, selected: value === "AsIs" }))),
  ]));
  const checks = [["culturally_adapted", "Culturally adapted"], ["spiritually_adapted", "Spiritually adapted"]]
    .map(([name, label]) => element("label", { className: "check" }, [
      element("input", { type: "checkbox", name }), " " + label]));
  $("adaptations").replaceChildren(element("legend", { textContent: "How you would say it" }), ...fields, ...checks);
  $("search").value = "";
  shownTurn = round.turn;
}

function nameOf(round, id) {
  for (const school of round.palette) for (const t of school.techniques) if (t.id === id) return t.name;
  return id;
}

let current = null;

async function refresh() {
  const { status, data } = await api("api/round");
  if (status === 401) { $("join").hidden = false; $("round").hidden = true; $("waiting").hidden = true; return; }
  $("join").hidden = true;
  if (status !== 200) { say(data.error || "The class server did not answer."); return; }
  if (!data.round) { $("waiting").hidden = false; $("round").hidden = true; return; }
  $("waiting").hidden = true;
  $("round").hidden = false;
  current = data.round;
  if (data.round.turn !== shownTurn) { drawRound(data.round); say(""); }
  $("closed").hidden = data.open;
  $("send").hidden = !data.open;
  for (const input of $("ballot").querySelectorAll("input, select")) input.disabled = !data.open;
  $("send").textContent = data.your_vote ? "Change my vote" : "Vote";
  $("yours").hidden = !data.your_vote;
  if (data.your_vote) $("yours").textContent = "Your vote: " + nameOf(data.round, data.your_vote.technique);
  // Said where the vote button was too: a student scrolled down to it sees why it went.
  if (!data.open) say("The vote is closed.", "note");
}

$("join").addEventListener("submit", async (event) => {
  event.preventDefault();
  const { status, data } = await api("api/join", { code: $("code").value });
  say(status === 200 ? "" : data.error);
  if (status === 200) refresh();
});

$("search").addEventListener("input", () => {
  const words = $("search").value.toLowerCase().trim().split(/\s+/).filter(Boolean);
  for (const school of $("palette").children) {
    let any = false;
    for (const t of school.querySelectorAll(".technique")) {
      const match = words.every((w) => t.dataset.search.includes(w));
      t.hidden = !match;
      any = any || match;
    }
    school.hidden = !any;
  }
});

$("ballot").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData($("ballot"));
  if (!form.get("technique")) { say("Pick a technique first."); return; }
  const vote = { turn: current.turn, technique: form.get("technique") };
  for (const a of current.adaptations) vote[a.field] = form.get(a.field);
  vote.culturally_adapted = form.get("culturally_adapted") === "on";
  vote.spiritually_adapted = form.get("spiritually_adapted") === "on";
  const { status, data } = await api("api/vote", vote);
  if (status === 200) say("Vote counted: " + nameOf(current, vote.technique) + ".", "ok");
  else say(data.error);
  refresh();
});

// The link on the projector's QR code carries the code: join with it straight away.
async function start() {
  const code = new URLSearchParams(location.search).get("code");
  if (code) {
    $("code").value = code;
    const { status } = await api("api/round");
    if (status === 401) await api("api/join", { code });
    history.replaceState(null, "", location.pathname);
  }
  refresh();
  setInterval(refresh, 2000);
}

start();
