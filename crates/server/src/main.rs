//! `pendamping`: the server and its maintenance commands.

mod cli;
mod config;
mod exchange_cli;
mod serve;

#[cfg(test)]
mod readme_config;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    config::init_tracing(&cli.log, cli.log_format);
    cli::run(cli).await
}
