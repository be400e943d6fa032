//! Attune's class vote, without Bevy: the ballot box of a class session (`ballot`: join
//! code, device tokens, rounds, votes, the tally, every limit) and the small HTTP server the
//! students' phones and laptops vote through (`server`), which serves the page in
//! `assets/classroom/`, bound to one of the machine's addresses (`interfaces`). The app opens a server only when the instructor opens voting.

pub mod ballot;
pub mod interfaces;
pub mod invitation;
pub mod server;
