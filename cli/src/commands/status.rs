//! `orux status TASK_ID` and `orux wait TASK_ID [--timeout SECS]`.

use super::api::{self, Reporter};
use super::download::{self, Download};
use super::follow::{follow, options};
use crate::api_args::{StatusArgs, WaitArgs};
use crate::stop_signal::StopSignal;
use crate::{Error, Verdict};

/// Prints the task's current status.
pub fn run_status(args: &StatusArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    Ok(match runtime.block_on(client.get(&args.task_id)) {
        Ok(status) => report.status(&status),
        Err(error) => report.api_error(&error, None),
    })
}

/// Waits for the task to end and prints its final status.
pub fn run_wait(args: &WaitArgs) -> Result<Verdict, Error> {
    let report = Reporter::new(&args.api);
    let (client, runtime) = match api::client(&args.api).and_then(|c| Ok((c, api::runtime()?))) {
        Ok(both) => both,
        Err(message) => return Ok(report.usage(&message)),
    };
    runtime.block_on(async {
        let mut stop = match StopSignal::listen() {
            Ok(stop) => stop,
            Err(error) => return Ok(report.usage(&format!("cannot listen for signals: {error}"))),
        };
        let watch = client.watch(&args.task_id, &options(args.timeout));
        let followed = follow(watch, &mut stop).await;
        let download = args
            .download
            .as_deref()
            .map(|dir| Download::new(&client, dir, args.force));
        Ok(download::end_wait(report, followed, download, &mut stop).await)
    })
}
