//! The `playbook` binary: no arguments opens the app; otherwise run one command headless.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match playbook::cli::Cli::parse_args() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match cli.command {
        #[cfg(feature = "gui")]
        None => match playbook::app::run(Vec::new()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        #[cfg(not(feature = "gui"))]
        None => {
            eprintln!(
                "error: this Playbook was built without its window (the gui feature); see --help"
            );
            ExitCode::FAILURE
        }
        Some(command) => {
            // A command's output piped into `head` ends quietly, as other command-line tools
            // do, instead of a "broken pipe" panic on the next print.
            #[cfg(unix)]
            // SAFETY: restores the default action of one signal before any thread starts.
            unsafe {
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            }
            let record = if cli.no_record {
                playbook::cli::RecordRuns::No
            } else {
                playbook::cli::RecordRuns::Yes
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

/// Help and version as clap prints them; a usage error as one `error:` line with the usage.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    }
    let text = e.to_string();
    let message: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("Usage:"))
        .collect();
    let message = one_line(&message.join(" "));
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let usage = text
        .lines()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map_or_else(String::new, |u| format!(" (usage: {u}; see --help)"));
    eprintln!("error: {message}{usage}");
    ExitCode::from(2)
}

use playbook::format::one_line;
