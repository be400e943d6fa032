//! `attune graph`: a scenario's structure as a graph an instructor can render and read.
//! `build_graph` turns a scenario into plain nodes and edges (`model`); `to_dot` and
//! `to_mermaid` only write that graph out in each format, with its own escaping.

mod build;
mod dot;
mod mermaid;
pub mod model;
mod summary;

pub use build::build_graph;
pub use dot::to_dot;
pub use mermaid::to_mermaid;
pub use model::{Edge, EdgeKind, Graph, Group, Node, NodeKind};
