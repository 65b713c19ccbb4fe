//! Polling a task until it ends: the polling schedule, a
//! deadline, and a stream of status changes.

use std::time::Duration;

use orux_models::TaskRequest;
use orux_models::responses::TaskStatusResponse;
use tokio::time::Instant;

use crate::client::{self, Client};
use crate::deadline::Deadline;
use crate::error::Error;
use crate::schedule::{DEFAULT_DEADLINE, PollSchedule};

/// How a wait behaves.
#[derive(Clone, Debug)]
pub struct WaitOptions {
    /// How long to wait in all before [`Error::DeadlinePassed`] (default 20
    /// minutes), counted from the start of the call: with
    /// [`Client::submit_and_wait`] and [`Client::submit_and_watch`] it
    /// bounds the submission too. Any value is accepted; one beyond a
    /// century (up to `Duration::MAX`) means no deadline.
    pub deadline: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            deadline: DEFAULT_DEADLINE,
        }
    }
}

impl WaitOptions {
    /// The defaults with another deadline.
    pub fn with_deadline(deadline: Duration) -> Self {
        WaitOptions { deadline }
    }
}

/// The status changes of one task, read by polling; see [`Client::watch`].
///
/// Each call of [`Watch::next`] polls (on the schedule) until the status
/// differs from the last one returned, and returns it; after a terminal status
/// or an error it returns `None`. Dropping it stops everything: nothing runs
/// in the background.
#[derive(Debug)]
pub struct Watch {
    client: Client,
    task_id: String,
    schedule: PollSchedule,
    deadline: Deadline,
    /// When the next poll is due.
    next_poll: Instant,
    last: Option<TaskStatusResponse>,
    polls: u32,
    done: bool,
}

impl Watch {
    fn new(client: Client, task_id: String, deadline: Deadline, first_delay: bool) -> Watch {
        let now = Instant::now();
        let mut schedule = PollSchedule::new(fastrand::Rng::new());
        let next_poll = if first_delay {
            now + schedule.next_interval()
        } else {
            now
        };
        Watch {
            client,
            task_id,
            schedule,
            deadline,
            next_poll,
            last: None,
            polls: 0,
            done: false,
        }
    }

    /// The next status change: `Some(Ok(status))`, `Some(Err(_))` once when
    /// polling failed or the deadline passed, then `None`.
    pub async fn next(&mut self) -> Option<Result<TaskStatusResponse, Error>> {
        if self.done {
            return None;
        }
        let outcome = self.next_change().await;
        if outcome
            .as_ref()
            .map_or(true, |status| status.status.is_terminal())
        {
            self.done = true;
        }
        Some(outcome)
    }

    /// The id of the task watched.
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    /// How many status requests were made so far.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// The last status read, if any.
    pub fn last(&self) -> Option<&TaskStatusResponse> {
        self.last.as_ref()
    }

    async fn next_change(&mut self) -> Result<TaskStatusResponse, Error> {
        loop {
            if self
                .deadline
                .instant()
                .is_some_and(|at| self.next_poll >= at)
            {
                self.deadline.reached().await;
                return Err(self.deadline_passed());
            }
            tokio::time::sleep_until(self.next_poll).await;
            // The deadline also bounds a status request and its retries:
            // each exchange is cut at it, and no retry starts past it.
            let poll =
                self.client
                    .get_by(&self.task_id, self.deadline, |_| Error::DeadlinePassed {
                        last: None,
                    });
            let status = tokio::select! {
                result = poll => match result {
                    Err(Error::DeadlinePassed { .. }) => return Err(self.deadline_passed()),
                    other => other?,
                },
                () = self.deadline.reached() => return Err(self.deadline_passed()),
            };
            self.polls += 1;
            // The schedule counts from the end of a poll, so a slow answer
            // never makes the next poll come sooner.
            self.next_poll = Instant::now() + self.schedule.next_interval();
            let changed = self
                .last
                .as_ref()
                .is_none_or(|last| last.status != status.status);
            self.last = Some(status.clone());
            if changed || status.status.is_terminal() {
                return Ok(status);
            }
        }
    }

    fn deadline_passed(&self) -> Error {
        Error::DeadlinePassed {
            last: self.last.clone().map(Box::new),
        }
    }
}

impl Client {
    /// Status changes of `task_id`, polling at once and then on the schedule
    /// (1 s, ×1.5 with ±10% jitter, at most 10 s apart) until a terminal status,
    /// an error or the deadline. A status this version does not know is not
    /// terminal: it is returned as a change and polling goes on.
    pub fn watch(&self, task_id: &str, options: &WaitOptions) -> Watch {
        let deadline = Deadline::after(options.deadline);
        Watch::new(self.clone(), task_id.to_owned(), deadline, false)
    }

    /// Waits until `task_id` ends and returns its final status (success,
    /// failed or expired: check `status`). Polls at once, then on the schedule.
    pub async fn wait(
        &self,
        task_id: &str,
        options: &WaitOptions,
    ) -> Result<TaskStatusResponse, Error> {
        drain(self.watch(task_id, options)).await
    }

    /// [`Client::submit`], then [`Client::wait`] with the first poll 1 s after
    /// the submission; `options.deadline` bounds both.
    pub async fn submit_and_wait(
        &self,
        request: &TaskRequest,
        options: &WaitOptions,
    ) -> Result<TaskStatusResponse, Error> {
        drain(self.submit_and_watch(request, options).await?).await
    }

    /// [`Client::submit`] within `options.deadline`, then a [`Watch`] of the
    /// new task (first poll 1 s later) with what is left of that deadline.
    /// The task id is [`Watch::task_id`] as soon as this returns, before any
    /// poll. A deadline that passes during the submission is
    /// [`Error::SubmitOutcomeUnknown`] when the POST was sent (the task may
    /// exist), [`Error::DeadlinePassed`] when it was not.
    pub async fn submit_and_watch(
        &self,
        request: &TaskRequest,
        options: &WaitOptions,
    ) -> Result<Watch, Error> {
        let body = client::serialize(request)?;
        self.post_and_watch(body, options).await
    }

    /// [`Client::submit_json`] (validated first, sent as written), then a
    /// [`Watch`], both within `options.deadline`, as
    /// [`Client::submit_and_watch`] does.
    pub async fn submit_json_and_watch(
        &self,
        body: &[u8],
        options: &WaitOptions,
    ) -> Result<Watch, Error> {
        TaskRequest::from_json(body).map_err(Error::Invalid)?;
        self.post_and_watch(body.to_vec(), options).await
    }

    async fn post_and_watch(&self, body: Vec<u8>, options: &WaitOptions) -> Result<Watch, Error> {
        let deadline = Deadline::after(options.deadline);
        let key = crate::client::new_idempotency_key();
        let submitted = self.post_task(body, key, deadline).await?;
        Ok(Watch::new(self.clone(), submitted.task_id, deadline, true))
    }

    /// A [`Watch`] whose first poll is 1 s from now: for a task just submitted.
    pub fn watch_submitted(&self, task_id: &str, options: &WaitOptions) -> Watch {
        let deadline = Deadline::after(options.deadline);
        Watch::new(self.clone(), task_id.to_owned(), deadline, true)
    }
}

async fn drain(mut watch: Watch) -> Result<TaskStatusResponse, Error> {
    let mut last = None;
    while let Some(outcome) = watch.next().await {
        last = Some(outcome?);
    }
    last.ok_or_else(|| watch.deadline_passed())
}
