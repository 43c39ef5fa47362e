//! The `loket` binary: a thin shim over the library's command line.

fn main() -> std::process::ExitCode {
    loket::cli::main()
}
