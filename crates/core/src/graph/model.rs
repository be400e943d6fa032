//! The scenario graph as plain data: nodes in named groups and typed edges. The builder
//! fills it from a scenario; the DOT and Mermaid writers only lay it out as text.

/// What a node stands for. Each kind has its own shape and colour and belongs to one group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// Where the session starts: opening line, stage, risk at intake, flags already set.
    Opening,
    /// A stage of change the client can be in.
    Stage,
    /// A client flag, set and read by the scenario.
    Flag,
    Event,
    KeyMoment,
    /// The engine opening or repairing a rupture.
    Rupture,
    /// Client lines that are rupture markers.
    MarkerResponse,
    /// Client lines that change flags, the stage or the risk.
    Response,
    /// A rise in risk raised by an event or line: a cue the trainee must assess.
    RiskCue,
    /// A safety gate: a rule whose breach fails the session outright.
    SafetyGate,
    /// A flag the session must have set by its end to pass.
    Requirement,
    /// Passing the session.
    Pass,
    /// A technique the scenario adds or adds rules to, or one that sets a flag it reads.
    Technique,
}

impl NodeKind {
    pub const ALL: [NodeKind; 13] = [
        NodeKind::Opening,
        NodeKind::Stage,
        NodeKind::Technique,
        NodeKind::Event,
        NodeKind::Response,
        NodeKind::MarkerResponse,
        NodeKind::Rupture,
        NodeKind::Flag,
        NodeKind::KeyMoment,
        NodeKind::RiskCue,
        NodeKind::SafetyGate,
        NodeKind::Requirement,
        NodeKind::Pass,
    ];

    pub fn group(self) -> Group {
        match self {
            NodeKind::Opening => Group::Opening,
            NodeKind::Stage => Group::Stages,
            NodeKind::Flag => Group::Flags,
            NodeKind::Event => Group::Events,
            NodeKind::KeyMoment => Group::KeyMoments,
            NodeKind::Rupture | NodeKind::MarkerResponse => Group::Ruptures,
            NodeKind::Response => Group::Responses,
            NodeKind::RiskCue | NodeKind::SafetyGate => Group::Safety,
            NodeKind::Requirement | NodeKind::Pass => Group::Pass,
            NodeKind::Technique => Group::Techniques,
        }
    }

    /// What the kind means, for the legend.
    pub fn meaning(self) -> &'static str {
        match self {
            NodeKind::Opening => "opening",
            NodeKind::Stage => "stage of change",
            NodeKind::Flag => "flag",
            NodeKind::Event => "event",
            NodeKind::KeyMoment => "key moment",
            NodeKind::Rupture => "rupture (engine)",
            NodeKind::MarkerResponse => "rupture marker line",
            NodeKind::Response => "client line that changes state",
            NodeKind::RiskCue => "risk cue",
            NodeKind::SafetyGate => "safety gate",
            NodeKind::Requirement => "pass requirement",
            NodeKind::Pass => "pass",
            NodeKind::Technique => "technique",
        }
    }
}

/// The clusters nodes are drawn in, in drawing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Group {
    Opening,
    Stages,
    Techniques,
    Events,
    Responses,
    Ruptures,
    Flags,
    KeyMoments,
    Safety,
    Pass,
}

impl Group {
    pub const ALL: [Group; 10] = [
        Group::Opening,
        Group::Stages,
        Group::Techniques,
        Group::Events,
        Group::Responses,
        Group::Ruptures,
        Group::Flags,
        Group::KeyMoments,
        Group::Safety,
        Group::Pass,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Group::Opening => "Opening",
            Group::Stages => "Stages of change",
            Group::Techniques => "Techniques",
            Group::Events => "Events",
            Group::Responses => "Client lines that change state",
            Group::Ruptures => "Ruptures and marker lines",
            Group::Flags => "Flags",
            Group::KeyMoments => "Key moments",
            Group::Safety => "Safety",
            Group::Pass => "To pass",
        }
    }

    /// The column the group is drawn in, left to right: where flags come from, the
    /// flags, and what they lead to. Several small groups share a column. The stages have
    /// none: they run across the columns, left to right, like a timeline.
    pub fn column(self) -> Option<usize> {
        match self {
            Group::Opening | Group::Techniques => Some(0),
            Group::Events | Group::Responses => Some(1),
            Group::Ruptures => Some(2),
            Group::Flags => Some(3),
            Group::KeyMoments | Group::Safety | Group::Pass => Some(4),
            Group::Stages => None,
        }
    }

    pub const COLUMNS: usize = 5;

    /// A short identifier for the cluster, safe in both formats.
    pub fn key(self) -> &'static str {
        match self {
            Group::Opening => "opening",
            Group::Stages => "stages",
            Group::Techniques => "techniques",
            Group::Events => "events",
            Group::Responses => "responses",
            Group::Ruptures => "ruptures",
            Group::Flags => "flags",
            Group::KeyMoments => "key_moments",
            Group::Safety => "safety",
            Group::Pass => "pass",
        }
    }
}

/// What an edge says about its two ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The source sets the flag (an effect, or a technique establishing it).
    Sets,
    /// The source clears the flag.
    Clears,
    /// The target's condition needs the source (a flag set, a stage, a rupture, a risk cue).
    Enables,
    /// The target's condition needs the source flag *not* to be set.
    Blocks,
    /// A technique's prerequisite, or a pass requirement: missing it costs points or the pass.
    Needs,
    /// A technique is contraindicated while the source holds (the turn is capped).
    Contraindicates,
    /// An event fires the target (a key moment or line conditioned on the event).
    Triggers,
    /// The stage changes: by stage-matched work, or set by an effect.
    Stage,
    /// An effect raises the risk: a cue to assess.
    RaisesRisk,
    /// A safety gate failing fails the session.
    Fails,
}

impl EdgeKind {
    pub const ALL: [EdgeKind; 10] = [
        EdgeKind::Sets,
        EdgeKind::Clears,
        EdgeKind::Enables,
        EdgeKind::Blocks,
        EdgeKind::Needs,
        EdgeKind::Contraindicates,
        EdgeKind::Triggers,
        EdgeKind::Stage,
        EdgeKind::RaisesRisk,
        EdgeKind::Fails,
    ];

    /// What the edge means, for the legend.
    pub fn meaning(self) -> &'static str {
        match self {
            EdgeKind::Sets => "sets flag",
            EdgeKind::Clears => "clears flag",
            EdgeKind::Enables => "enables (condition reads it)",
            EdgeKind::Blocks => "blocks (condition needs it unset)",
            EdgeKind::Needs => "needed (prerequisite / requirement)",
            EdgeKind::Contraindicates => "contraindicates technique",
            EdgeKind::Triggers => "event triggers",
            EdgeKind::Stage => "moves stage",
            EdgeKind::RaisesRisk => "raises risk",
            EdgeKind::Fails => "fails the session",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Unique within the graph, made of ASCII letters, digits and `_` only.
    pub id: String,
    pub kind: NodeKind,
    /// The label's lines, already wrapped; the first is the node's name. Not escaped.
    pub lines: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// A short word on the edge, when its kind alone does not say enough. Not escaped.
    pub label: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Lines for the legend about what was left out or merged.
    pub notes: Vec<String>,
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The nodes of one group, in insertion order.
    pub fn nodes_in(&self, group: Group) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(move |n| n.kind.group() == group)
    }

    /// The node kinds present in the graph, in legend order.
    pub fn kinds_present(&self) -> Vec<NodeKind> {
        NodeKind::ALL
            .into_iter()
            .filter(|k| self.nodes.iter().any(|n| n.kind == *k))
            .collect()
    }

    /// The edge kinds present in the graph, in legend order.
    pub fn edge_kinds_present(&self) -> Vec<EdgeKind> {
        EdgeKind::ALL
            .into_iter()
            .filter(|k| self.edges.iter().any(|e| e.kind == *k))
            .collect()
    }
}
