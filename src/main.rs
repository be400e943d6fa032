fn main() -> std::process::ExitCode {
    attune::cli::run()
}
