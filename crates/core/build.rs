//! Chooses the labelled utterance corpus the coder is trained on at start: the full corpus
//! (`assets/utterances/corpus.tsv`) when the repository has it, else the small development
//! set (`dev.tsv`), so `Coder::builtin()` always compiles in a corpus.

use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/utterances");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!(
        "cargo:rerun-if-changed={}",
        dir.join("corpus.tsv").display()
    );
    let corpus = dir.join("corpus.tsv");
    let chosen = if corpus.exists() {
        corpus
    } else {
        dir.join("dev.tsv")
    };
    println!(
        "cargo:rustc-env=ATTUNE_UTTERANCE_CORPUS={}",
        chosen.display()
    );
}
