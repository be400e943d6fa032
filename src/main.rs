//! The `attune` binary: the app when run without a sub-command, else the command line.

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, so printing into a closed pipe (`attune test | head`) would
    // panic; a command-line tool should simply stop, as other Unix tools do.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    attune::cli::run()
}
