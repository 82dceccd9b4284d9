//! The `playbook` binary: no arguments opens the app; otherwise run one command headless.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = playbook::cli::Cli::parse();
    match cli.command {
        None => match playbook::app::run(Vec::new()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Some(command) => {
            let record = if cli.no_record {
                playbook::cli::Record::No
            } else {
                playbook::cli::Record::Yes
            };
            match playbook::cli::run(command, record) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {}", one_line(&format!("{e:#}")));
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// The message on one line, at most 1,000 characters.
fn one_line(s: &str) -> String {
    playbook::format::bounded(&s.split_whitespace().collect::<Vec<_>>().join(" "), 1000)
}
