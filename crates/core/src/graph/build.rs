//! Builds the scenario graph: what sets each flag and what each flag enables, from the
//! opening through events, client lines, key moments, techniques, safety gates and the pass.
//! A pure function of the scenario and the catalogue, so it is tested without any renderer.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::model::{Edge, EdgeKind, Graph, Node, NodeKind};
use super::summary::{WRAP_WIDTH, condition_clauses, meter_effects, trigger_text, wrap};
use crate::model::{
    Catalogue, Condition, Contraindication, Prerequisite, RiskLevel, Rupture, Stage, Technique,
};
use crate::scenario::{Effect, Response, Scenario, Trigger};

/// Most lines a condition summary may take in a label.
const CLAUSE_LINES: usize = 3;

/// The graph of one scenario. `catalogue` supplies the techniques that set flags the
/// scenario reads and those that assess risk; the scenario need not be valid (references
/// to unknown events draw no edge).
pub fn build_graph(scenario: &Scenario, catalogue: &Catalogue) -> Graph {
    let mut b = Builder::new(scenario);
    b.opening();
    b.safety();
    b.events();
    b.responses();
    b.key_moments();
    b.scenario_techniques();
    b.pass_requirements();
    b.flag_setting_techniques(catalogue);
    b.risk_assessing_techniques(catalogue);
    b.stage_progression();
    b.finish()
}

/// A condition's source nodes with the edge kind each gets; used to merge lines that read
/// the same things.
type Links = Vec<(String, EdgeKind, Option<String>)>;

struct Builder<'a> {
    scenario: &'a Scenario,
    graph: Graph,
    /// Node id by (kind, key): one node per flag, stage, event...
    ids: HashMap<(NodeKind, String), String>,
    used_ids: HashSet<String>,
    edges_seen: HashSet<(String, String, EdgeKind)>,
    /// Flags some condition or requirement reads: techniques setting them are drawn.
    flags_read: BTreeSet<String>,
    /// Every risk level an effect sets, for linking `risk_at_least` readers to the cues.
    risk_levels: BTreeSet<RiskLevel>,
}

impl<'a> Builder<'a> {
    fn new(scenario: &'a Scenario) -> Builder<'a> {
        let effects = scenario
            .events
            .iter()
            .flat_map(|e| &e.effects)
            .chain(scenario.responses.iter().flat_map(|r| &r.effects));
        let risk_levels = effects
            .filter_map(|e| match e {
                Effect::SetRisk(level) => Some(*level),
                _ => None,
            })
            .collect();
        Builder {
            scenario,
            graph: Graph {
                title: format!("{} ({})", scenario.meta.title, scenario.meta.id),
                ..Graph::default()
            },
            ids: HashMap::new(),
            used_ids: HashSet::new(),
            edges_seen: HashSet::new(),
            flags_read: BTreeSet::new(),
            risk_levels,
        }
    }

    /// The scenario, borrowed for `'a` rather than through `self`.
    fn scenario_ref(&self) -> &'a Scenario {
        self.scenario
    }

    fn finish(self) -> Graph {
        self.graph
    }

    // --- nodes and edges -------------------------------------------------------------

    fn id_of(&self, kind: NodeKind, key: &str) -> Option<&String> {
        self.ids.get(&(kind, key.to_string()))
    }

    /// The node for (kind, key), created with `lines` the first time.
    fn node(&mut self, kind: NodeKind, key: &str, lines: impl FnOnce() -> Vec<String>) -> String {
        if let Some(id) = self.id_of(kind, key) {
            return id.clone();
        }
        let id = self.fresh_id(kind, key);
        self.ids.insert((kind, key.to_string()), id.clone());
        self.graph.nodes.push(Node {
            id: id.clone(),
            kind,
            lines: lines(),
        });
        id
    }

    /// A new id: a prefix for the kind (so no id is a keyword in either format) and the
    /// key reduced to ASCII letters, digits and `_`, numbered if that is taken.
    fn fresh_id(&mut self, kind: NodeKind, key: &str) -> String {
        let prefix = match kind {
            NodeKind::Opening => "op",
            NodeKind::Stage => "st",
            NodeKind::Flag => "fl",
            NodeKind::Event => "ev",
            NodeKind::KeyMoment => "km",
            NodeKind::Rupture => "ru",
            NodeKind::MarkerResponse => "mk",
            NodeKind::Response => "rs",
            NodeKind::RiskCue => "rk",
            NodeKind::SafetyGate => "sg",
            NodeKind::Requirement => "rq",
            NodeKind::Pass => "ps",
            NodeKind::Technique => "tq",
        };
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let base = format!("{prefix}_{safe}");
        let mut id = base.clone();
        let mut n = 2;
        while !self.used_ids.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        id
    }

    fn edge(&mut self, from: &str, to: &str, kind: EdgeKind, label: Option<&str>) {
        if self
            .edges_seen
            .insert((from.to_string(), to.to_string(), kind))
        {
            self.graph.edges.push(Edge {
                from: from.to_string(),
                to: to.to_string(),
                kind,
                label: label.map(str::to_string),
            });
        }
    }

    fn flag(&mut self, name: &str) -> String {
        self.node(NodeKind::Flag, name, || vec![name.to_string()])
    }

    fn stage(&mut self, stage: Stage) -> String {
        let initial = self.scenario.initial_state.stage;
        self.node(NodeKind::Stage, stage.label(), || {
            let mut lines = vec![format!("{stage:?}")];
            if stage == initial {
                lines.push("(start)".to_string());
            }
            lines
        })
    }

    fn risk_cue(&mut self, level: RiskLevel) -> String {
        self.node(NodeKind::RiskCue, level.label(), || {
            if level >= RiskLevel::Moderate {
                vec!["RISK CUE".to_string(), format!("risk rises to {level:?}")]
            } else {
                vec![format!("risk set to {level:?}")]
            }
        })
    }

    fn rupture_opens(&mut self) -> String {
        let end = &self.scenario.session.end;
        let lines = vec![
            "RUPTURE OPENS".to_string(),
            "strain from misfit or".to_string(),
            "over-direction".to_string(),
            format!("drop-out if unrepaired {} turns", end.max_unrepaired_turns),
        ];
        self.node(NodeKind::Rupture, "opens", || lines)
    }

    fn rupture_repaired(&mut self) -> String {
        let opens = self.rupture_opens();
        let id = self.node(NodeKind::Rupture, "repaired", || {
            vec![
                "RUPTURE REPAIRED".to_string(),
                "a repairing move while open".to_string(),
            ]
        });
        self.edge(&opens, &id, EdgeKind::Enables, None);
        id
    }

    fn assessment_gate(&mut self) -> String {
        let within = self.scenario.session.end.risk_assess_within;
        self.node(NodeKind::SafetyGate, "assess", || {
            vec![
                "GATE: assess the risk".to_string(),
                format!("within {} of a cue", crate::words::count(within, "turn")),
                "(session.end.risk_assess_within)".to_string(),
                "at High, unassessed: crisis end".to_string(),
            ]
        })
    }

    // --- conditions ------------------------------------------------------------------

    /// The nodes a condition reads and how: flags, stages, events, ruptures, risk.
    /// `positive` is the kind for what must hold (enables, needs, contraindicates).
    fn links(&mut self, c: &Condition, positive: EdgeKind) -> Links {
        let mut out: Links = Vec::new();
        for f in &c.flags {
            self.flags_read.insert(f.clone());
            out.push((self.flag(f), positive, None));
        }
        for f in &c.not_flags {
            self.flags_read.insert(f.clone());
            let (kind, label) = match positive {
                // "Contraindicated unless X": setting X lifts the contraindication.
                EdgeKind::Contraindicates => (EdgeKind::Needs, Some("lifts ✗".to_string())),
                _ => (EdgeKind::Blocks, None),
            };
            out.push((self.flag(f), kind, label));
        }
        for s in &c.stages {
            out.push((self.stage(*s), positive, None));
        }
        if let Some(event) = &c.event
            && let Some(id) = self.id_of(NodeKind::Event, event)
        {
            out.push((id.clone(), EdgeKind::Triggers, None));
        }
        let rupture_open = c.rupture.iter().any(|r| *r != Rupture::None);
        if c.rupture_opened == Some(true) || rupture_open {
            out.push((self.rupture_opens(), positive, None));
        }
        if c.rupture_repaired == Some(true) {
            out.push((self.rupture_repaired(), positive, None));
        }
        let floor = c
            .risk_at_least
            .or((c.risk_assessed == Some(false)).then_some(RiskLevel::Moderate));
        if let Some(floor) = floor {
            let levels: Vec<RiskLevel> = self
                .risk_levels
                .iter()
                .copied()
                .filter(|l| *l >= floor)
                .collect();
            for level in levels {
                out.push((self.risk_cue(level), positive, None));
            }
        }
        if c.risk_assessed == Some(true) {
            out.push((
                self.assessment_gate(),
                positive,
                Some("assessed".to_string()),
            ));
        }
        dedup_links(&mut out);
        out
    }

    fn link_into(&mut self, links: &Links, to: &str) {
        for (from, kind, label) in links {
            self.edge(from, to, *kind, label.as_deref());
        }
    }

    /// Edges for the effects that change flags, the stage or the risk.
    fn effect_edges(&mut self, from: &str, effects: &[Effect]) {
        for e in effects {
            match e {
                Effect::SetFlag(f) => {
                    let to = self.flag(f);
                    self.edge(from, &to, EdgeKind::Sets, None);
                }
                Effect::ClearFlag(f) => {
                    let to = self.flag(f);
                    self.edge(from, &to, EdgeKind::Clears, None);
                }
                Effect::SetStage(s) => {
                    let to = self.stage(*s);
                    self.edge(from, &to, EdgeKind::Stage, Some("sets"));
                }
                Effect::SetRisk(level) => {
                    let to = self.risk_cue(*level);
                    self.edge(from, &to, EdgeKind::RaisesRisk, None);
                }
                Effect::Distress(_) | Effect::Hope(_) | Effect::Bond(_) => {}
            }
        }
    }

    // --- the parts of the scenario ---------------------------------------------------

    fn opening(&mut self) {
        let s = self.scenario;
        let risk = s.initial_state.risk.unwrap_or(s.client.risk.level);
        let mut lines = vec!["OPENING".to_string()];
        lines.extend(wrap(&quoted(&s.session.opening_line), WRAP_WIDTH, 2));
        lines.push(format!(
            "{} turns · risk at intake: {}",
            s.session.turn_limit,
            risk.label()
        ));
        let opening = self.node(NodeKind::Opening, "opening", || lines);
        let stage = self.stage(s.initial_state.stage);
        self.edge(&opening, &stage, EdgeKind::Stage, Some("starts in"));
        for f in &s.initial_state.flags {
            let flag = self.flag(f);
            self.edge(&opening, &flag, EdgeKind::Sets, None);
        }
    }

    /// The two safety gates and the risk cues that open them.
    fn safety(&mut self) {
        let levels: Vec<RiskLevel> = self.risk_levels.iter().copied().collect();
        let assess = self.assessment_gate();
        let arousal = self.node(NodeKind::SafetyGate, "arousal", || {
            vec![
                "GATE: no arousal-raising".to_string(),
                "work while risk is High,".to_string(),
                "or Moderate and unassessed".to_string(),
            ]
        });
        for level in levels {
            let cue = self.risk_cue(level);
            if level >= RiskLevel::Moderate {
                self.edge(&cue, &assess, EdgeKind::Enables, Some("starts the clock"));
                self.edge(&cue, &arousal, EdgeKind::Enables, None);
            }
        }
        if self.risk_levels.is_empty() {
            self.graph.notes.push("No event or line raises the risk, so no cue starts the assessment clock; the arousal gate applies only if risk starts at Moderate or above.".to_string());
        }
    }

    fn events(&mut self) {
        let events = &self.scenario_ref().events;
        // Every event node first: conditions may name events defined later.
        for e in events {
            let mut lines = vec![e.id.clone()];
            lines.extend(wrap(&trigger_text(&e.trigger), WRAP_WIDTH, CLAUSE_LINES));
            if let Some(m) = meter_effects(&e.effects) {
                lines.extend(wrap(&m, WRAP_WIDTH, 1));
            }
            self.node(NodeKind::Event, &e.id, || lines);
        }
        for e in events {
            let id = self
                .id_of(NodeKind::Event, &e.id)
                .cloned()
                .expect("created above");
            if let Trigger::When(c) = &e.trigger {
                let links = self.links(c, EdgeKind::Enables);
                self.link_into(&links, &id);
            }
            self.effect_edges(&id, &e.effects);
        }
    }

    /// Rupture-marker lines and lines that change flags, the stage or the risk. Lines with
    /// the same marker and the same changes are drawn as one node reading what any of them
    /// reads: a long scenario has dozens of variants of one move, and a node each would
    /// bury the structure.
    fn responses(&mut self) {
        let s = self.scenario;
        let shown: Vec<&Response> = s
            .responses
            .iter()
            .filter(|r| r.marker.is_some() || r.effects.iter().any(changes_state))
            .collect();
        let mut groups: Vec<(Links, Vec<&Response>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for r in shown {
            let links = self.links(&r.when, EdgeKind::Enables);
            let effects: Vec<String> = r
                .effects
                .iter()
                .filter(|e| changes_state(e))
                .map(|e| format!("{e:?}"))
                .collect();
            let key = format!("{:?}|{effects:?}", r.marker);
            match index.get(&key) {
                Some(&i) => {
                    let group = &mut groups[i];
                    group.0.extend(links);
                    dedup_links(&mut group.0);
                    group.1.push(r);
                }
                None => {
                    index.insert(key, groups.len());
                    groups.push((links, vec![r]));
                }
            }
        }
        let omitted = s.responses.len() - groups.iter().map(|g| g.1.len()).sum::<usize>();
        let merged = groups.iter().filter(|g| g.1.len() > 1).count();
        for (links, members) in &groups {
            let first = members[0];
            let kind = if first.marker.is_some() {
                NodeKind::MarkerResponse
            } else {
                NodeKind::Response
            };
            let lines = response_lines(members);
            let id = self.node(kind, &first.id, || lines);
            // A marker line sits beside the rupture nodes and its label names the rupture
            // it answers; an edge from "rupture opens" to each would only add noise.
            let links: Links = if kind == NodeKind::MarkerResponse {
                let opens = self.id_of(NodeKind::Rupture, "opens").cloned();
                links
                    .iter()
                    .filter(|l| Some(&l.0) != opens.as_ref())
                    .cloned()
                    .collect()
            } else {
                links.clone()
            };
            self.link_into(&links, &id);
            self.effect_edges(&id, &first.effects);
        }
        if omitted > 0 {
            self.graph.notes.push(format!(
                "{} that change no flag, stage or risk and mark no rupture {} not drawn.",
                crate::words::count(omitted, "client line"),
                if omitted == 1 { "is" } else { "are" }
            ));
        }
        if merged > 0 {
            self.graph.notes.push(format!(
                "{} for several lines with the same marker and the same changes; their inputs are combined.",
                crate::words::count_with(merged, "node stands", "nodes stand")
            ));
        }
    }

    fn key_moments(&mut self) {
        for k in &self.scenario_ref().key_moments {
            let mut lines = vec![k.id.clone()];
            lines.extend(wrap(&quoted(&k.title), WRAP_WIDTH, 2));
            lines.extend(wrap(
                &condition_clauses(&k.when).join("; "),
                WRAP_WIDTH,
                CLAUSE_LINES,
            ));
            let id = self.node(NodeKind::KeyMoment, &k.id, || lines);
            let links = self.links(&k.when, EdgeKind::Enables);
            self.link_into(&links, &id);
        }
    }

    /// The scenario's own techniques, and the rules it adds to catalogue techniques.
    fn scenario_techniques(&mut self) {
        let s = self.scenario;
        for t in &s.techniques {
            let lines = technique_lines(
                t,
                "scenario technique",
                &t.prerequisites,
                &t.contraindications,
            );
            let id = self.node(NodeKind::Technique, &t.id, || lines);
            self.technique_edges(&id, &t.prerequisites, &t.contraindications, &t.establishes);
            if t.assesses_risk {
                let gate = self.assessment_gate();
                self.edge(&id, &gate, EdgeKind::Enables, Some("assesses"));
            }
        }
        for (name, rules) in &s.technique_rules {
            let lines = {
                let mut l = vec![name.clone(), "catalogue + this client's rules".to_string()];
                l.extend(rule_clauses(&rules.prerequisites, &rules.contraindications));
                l
            };
            let id = self.node(NodeKind::Technique, name, || lines);
            self.technique_edges(&id, &rules.prerequisites, &rules.contraindications, &[]);
        }
    }

    fn technique_edges(
        &mut self,
        id: &str,
        prerequisites: &[Prerequisite],
        contraindications: &[Contraindication],
        establishes: &[String],
    ) {
        for p in prerequisites {
            let links = self.links(&p.needs, EdgeKind::Needs);
            self.link_into(&links, id);
        }
        for c in contraindications {
            let links = self.links(&c.when, EdgeKind::Contraindicates);
            self.link_into(&links, id);
        }
        for f in establishes {
            let flag = self.flag(f);
            self.edge(id, &flag, EdgeKind::Sets, None);
        }
    }

    fn pass_requirements(&mut self) {
        let session = &self.scenario_ref().session;
        let mark = session
            .pass_mark
            .map_or("the default pass mark".to_string(), |m| {
                format!("pass mark {m}")
            });
        let pass = self.node(NodeKind::Pass, "pass", || {
            vec![
                "PASS".to_string(),
                format!("score ≥ {mark},"),
                "every requirement met,".to_string(),
                "no safety gate failed".to_string(),
            ]
        });
        for r in &session.pass_requires {
            self.flags_read.insert(r.flag.clone());
            let flag = self.flag(&r.flag);
            let mut lines = vec![format!("requires {}", r.flag)];
            lines.extend(wrap(&r.why, WRAP_WIDTH, 2));
            let req = self.node(NodeKind::Requirement, &r.flag, || lines);
            self.edge(&flag, &req, EdgeKind::Needs, None);
            self.edge(&req, &pass, EdgeKind::Needs, None);
        }
        for gate in ["assess", "arousal"] {
            if let Some(g) = self.id_of(NodeKind::SafetyGate, gate).cloned() {
                self.edge(&g, &pass, EdgeKind::Fails, None);
            }
        }
    }

    /// Catalogue techniques that establish a flag this scenario reads.
    fn flag_setting_techniques(&mut self, catalogue: &Catalogue) {
        let own: HashSet<&str> = self
            .scenario
            .techniques
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        for t in &catalogue.techniques {
            if own.contains(t.id.as_str()) {
                continue;
            }
            let read: Vec<String> = t
                .establishes
                .iter()
                .filter(|f| self.flags_read.contains(*f))
                .cloned()
                .collect();
            if read.is_empty() {
                continue;
            }
            let id = self.node(NodeKind::Technique, &t.id, || {
                vec![t.id.clone(), "catalogue".to_string()]
            });
            for f in read {
                let flag = self.flag(&f);
                self.edge(&id, &flag, EdgeKind::Sets, Some("establishes"));
            }
        }
    }

    /// Catalogue techniques that meet the assessment gate, when a cue can open it.
    fn risk_assessing_techniques(&mut self, catalogue: &Catalogue) {
        let s = self.scenario;
        let intake = s.initial_state.risk.unwrap_or(s.client.risk.level);
        let cue_possible = self.risk_levels.iter().any(|l| *l >= RiskLevel::Moderate)
            || intake >= RiskLevel::Moderate;
        if !cue_possible {
            return;
        }
        let gate = self.assessment_gate();
        for t in catalogue.techniques.iter().filter(|t| t.assesses_risk) {
            let id = self.node(NodeKind::Technique, &t.id, || {
                vec![t.id.clone(), "catalogue".to_string()]
            });
            self.edge(&id, &gate, EdgeKind::Enables, Some("assesses"));
        }
    }

    /// Stage-matched work moves the client one stage on, up to Action (the engine never
    /// advances into Maintenance on its own).
    fn stage_progression(&mut self) {
        let mut present: Vec<Stage> = Stage::ALL
            .into_iter()
            .filter(|s| self.id_of(NodeKind::Stage, s.label()).is_some())
            .collect();
        // Every stage reachable from one already drawn.
        let mut i = 0;
        while i < present.len() {
            let s = present[i];
            if s < Stage::Action && !present.contains(&s.next()) {
                present.push(s.next());
            }
            i += 1;
        }
        present.sort();
        for s in present.into_iter().filter(|s| *s < Stage::Action) {
            let from = self.stage(s);
            let to = self.stage(s.next());
            self.edge(&from, &to, EdgeKind::Stage, Some("stage-matched work"));
        }
    }
}

/// Text in curly quotes, unless it already starts with a quote of its own.
fn quoted(text: &str) -> String {
    if text.starts_with(['"', '“', '\'']) {
        text.to_string()
    } else {
        format!("“{text}”")
    }
}

/// One link per (source, kind), in a stable order.
fn dedup_links(links: &mut Links) {
    links.sort_by(|a, b| (&a.0, a.1 as u8).cmp(&(&b.0, b.1 as u8)));
    links.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
}

fn changes_state(e: &Effect) -> bool {
    matches!(
        e,
        Effect::SetFlag(_) | Effect::ClearFlag(_) | Effect::SetStage(_) | Effect::SetRisk(_)
    )
}

/// One line: its id, marker and condition. Several: how many, and their ids.
fn response_lines(members: &[&Response]) -> Vec<String> {
    let first = members[0];
    let marker = first
        .marker
        .map(|m| format!(" [{m:?}]"))
        .unwrap_or_default();
    let mut lines = Vec::new();
    if let [only] = members {
        lines.push(format!("{}{marker}", only.id));
        let clauses = condition_clauses(&only.when);
        if !clauses.is_empty() {
            lines.extend(wrap(&clauses.join("; "), WRAP_WIDTH, CLAUSE_LINES));
        }
    } else {
        lines.push(format!("{} lines{marker}", members.len()));
        let ids: Vec<&str> = members.iter().map(|r| r.id.as_str()).collect();
        lines.extend(wrap(&ids.join(", "), WRAP_WIDTH, CLAUSE_LINES));
    }
    // Merged lines may differ in their meter changes; show them only when all agree.
    let meters = meter_effects(&first.effects);
    if meters.is_some() && members.iter().all(|r| meter_effects(&r.effects) == meters) {
        lines.extend(wrap(&meters.unwrap_or_default(), WRAP_WIDTH, 1));
    }
    lines
}

fn technique_lines(
    t: &Technique,
    origin: &str,
    prerequisites: &[Prerequisite],
    contraindications: &[Contraindication],
) -> Vec<String> {
    let mut lines = vec![t.id.clone(), format!("{origin} ({:?})", t.school)];
    lines.extend(rule_clauses(prerequisites, contraindications));
    lines
}

/// The parts of prerequisites and contraindications that are not drawn as edges.
fn rule_clauses(
    prerequisites: &[Prerequisite],
    contraindications: &[Contraindication],
) -> Vec<String> {
    let mut lines = Vec::new();
    for p in prerequisites {
        let clauses = condition_clauses(&p.needs);
        if !clauses.is_empty() {
            lines.extend(wrap(
                &format!("needs {}", clauses.join("; ")),
                WRAP_WIDTH,
                2,
            ));
        }
    }
    for c in contraindications {
        let clauses = condition_clauses(&c.when);
        if !clauses.is_empty() {
            lines.extend(wrap(
                &format!("✗ when {}", clauses.join("; ")),
                WRAP_WIDTH,
                2,
            ));
        }
    }
    lines
}
